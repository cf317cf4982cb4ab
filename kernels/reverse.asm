; reverse: each block reverses its elements through shared memory.
;
;   OUT[b*N + t] = IN[b*N + N-1-t], N = %blockDim;  IN at 0-15, OUT at 32-47.
;
; Every thread writes its element into shared memory, waits at the barrier until all
; have, and reads its mirror's: without the barrier it could read a byte not yet written.

.threads 16
.data 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16

    MUL R0, %blockIdx, %blockDim
    ADD R0, R0, %threadIdx         ; i = blockIdx * blockDim + threadIdx
    LDR R1, R0                     ; IN[i]
    STS %threadIdx, R1             ; shared[t] = IN[i]
    BAR                            ; the whole block's elements are in shared memory
    CONST R2, #1
    SUB R3, %blockDim, R2
    SUB R3, R3, %threadIdx         ; N - 1 - t
    LDS R4, R3                     ; shared[N-1-t]
    CONST R5, #32
    ADD R5, R5, R0
    STR R5, R4                     ; OUT[i]
    RET
