; broadcast_shared: broadcast_loop with the table staged in shared memory first (the
; classic use of shared memory: load once per block, cooperatively, then read often).
;
;   OUT[i] = T[0] + ... + T[31] + i (mod 256);  T at 0-31, OUT at 64 + i
;   32 threads; every block is full (N divides 32) and needs 32 bytes of shared memory.
;
; broadcast_loop makes 32 loads per block one after the other, each a memory round trip.
; Here thread t loads entries t, t+N, t+2N, ... (N loads in parallel per round, on
; different channels), the barrier waits for the whole table, and the loop then reads
; shared memory, which answers in the cycle it is asked.

.threads 32
.data 3 0 7 4 1 8 5 2 9 6 3 0 7 4 1 8 5 2 9 6 3 0 7 4 1 8 5 2 9 6 3 0

    CONST R2, #32                  ; entries
    CONST R3, #1
    CONST R4, #0                   ; sum (and a zero for the move below)
    ADD R1, %threadIdx, R4         ; k = t
STAGE:
    CMP R1, R2
    BRzp STAGED                    ; while k < 32:
    LDR R5, R1
    STS R1, R5                     ;   shared[k] = T[k]
    ADD R1, R1, %blockDim          ;   k += N
    BRnzp STAGE
STAGED:
    BAR                            ; the whole table is in shared memory
    CONST R1, #0                   ; k
LOOP:
    LDS R5, R1                     ; T[k], from shared memory
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
