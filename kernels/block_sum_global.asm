; block_sum_global: block_sum without shared memory, for comparison (make bench): the
; same tree reduction, with its partial sums in a global scratch area instead.
;
;   OUT[b] = IN[b*N] + ... + IN[b*N + N-1] (mod 256), N = %blockDim a power of two;
;   IN at 0-15, OUT at 32-47, scratch at 64-79 (left holding the partial sums).
;
; The barrier makes the other threads' global stores visible too: each step's stores
; have completed before any thread of the block goes past the BAR.

.threads 16
.data 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16

    MUL R0, %blockIdx, %blockDim
    ADD R0, R0, %threadIdx         ; i = blockIdx * blockDim + threadIdx
    LDR R1, R0                     ; IN[i]
    CONST R8, #64
    ADD R8, R8, R0                 ; &scratch[i]
    STR R8, R1                     ; scratch[i] = IN[i]
    BAR
    CONST R2, #2
    DIV R3, %blockDim, R2          ; s = N / 2
    CONST R4, #0
step:
    CMP R3, R4
    BRz done
    CMP %threadIdx, R3
    BRzp wait                      ; threads t >= s only wait
    ADD R5, R8, R3
    LDR R6, R5                     ; scratch[i + s]
    LDR R7, R8                     ; scratch[i]
    ADD R7, R7, R6
    STR R8, R7                     ; scratch[i] += scratch[i + s]
wait:
    BAR
    DIV R3, R3, R2                 ; s = s / 2
    BRnzp step
done:
    CMP %threadIdx, R4
    BRnp exit                      ; only thread 0 stores the block's sum
    LDR R1, R8                     ; scratch[b*N]
    CONST R5, #32
    ADD R5, R5, %blockIdx
    STR R5, R1                     ; OUT[blockIdx]
exit:
    RET
