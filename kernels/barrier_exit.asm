; barrier_exit: threads that leave a block early do not hold up its barriers.
;
;   odd threads:  OUT[i] = 100 + IN[i], and they leave;
;   even threads: OUT[i] = 2 * IN[f] + IN[i], f the block's first thread (mod 256).
;   IN at 0-11, OUT at 32-43. Any block size; needs 8 + N bytes of shared memory.
;
; The odd threads jump ahead to their own code, at higher addresses. The even threads
; run first (smallest PC) and wait at the first barrier; only when the odd threads have
; executed RET is every live thread waiting: their RET releases the barrier. The second
; barrier counts only the even threads, the odd ones having left.

.threads 12
.data 5 3 8 1 9 2 7 4 6 0 11 13

    MUL R0, %blockIdx, %blockDim
    ADD R0, R0, %threadIdx         ; i
    LDR R1, R0                     ; IN[i]
    CONST R5, #32
    ADD R5, R5, R0                 ; &OUT[i]
    CONST R2, #2
    DIV R3, %threadIdx, R2
    MUL R3, R3, R2
    SUB R3, %threadIdx, R3         ; t mod 2
    CONST R4, #0
    CMP R3, R4
    BRnp ODD                       ; odd threads jump ahead
    STS %threadIdx, R1             ; even t: shared[t] = IN[i]
    BAR                            ; released when the odd threads have left
    LDS R6, R4                     ; shared[0] = IN[f]
    ADD R6, R6, R1                 ; IN[f] + IN[i]
    CONST R7, #8
    ADD R7, R7, %threadIdx
    STS R7, R6                     ; shared[8 + t] = IN[f] + IN[i]
    BAR                            ; the even threads only: the odd ones have left
    CONST R7, #8
    LDS R6, R7                     ; shared[8] = 2 * IN[f] (thread 0's)
    ADD R6, R6, R1
    STR R5, R6                     ; OUT[i] = 2 * IN[f] + IN[i]
    RET
ODD:
    CONST R6, #100
    ADD R6, R6, R1
    STR R5, R6                     ; OUT[i] = 100 + IN[i]
    RET                            ; the last of these releases the even threads' barrier
