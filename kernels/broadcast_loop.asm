; broadcast_loop: a memory-bound loop. 32 threads (8 blocks of 4: several per core on the
; default configuration) each sum a 32-entry table; in every iteration all threads of a
; block read the same entry, so one memory read serves the whole block (coalesced) and
; the block then waits a full memory round trip for it. Little work per load: resident
; warps that run while others wait are what makes this fast.
;
;   OUT[i] = T[0] + ... + T[31] + i (mod 256);  T at 0-31, OUT at 64 + i

.threads 32
.data 3 0 7 4 1 8 5 2 9 6 3 0 7 4 1 8 5 2 9 6 3 0 7 4 1 8 5 2 9 6 3 0

    CONST R1, #0                   ; k
    CONST R2, #32                  ; entries
    CONST R3, #1
    CONST R4, #0                   ; sum
LOOP:
    LDR R5, R1                     ; T[k], the same address for every thread of the block
    ADD R4, R4, R5
    ADD R1, R1, R3
    CMP R1, R2
    BRn LOOP                       ; while k < 32
    MUL R0, %blockIdx, %blockDim
    ADD R0, R0, %threadIdx         ; i
    ADD R4, R4, R0
    CONST R6, #64
    ADD R6, R6, R0                 ; address of OUT[i]
    STR R6, R4
    RET
