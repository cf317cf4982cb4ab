; block_sum: each block adds up its elements by tree reduction in shared memory.
;
;   OUT[b] = IN[b*N] + ... + IN[b*N + N-1] (mod 256), N = %blockDim, one byte per block;
;   IN at 0-15, OUT at 32-47. Needs N a power of two (the tree halves it each step).
;
; Thread t puts its element at shared[t]; then, while the stride s = N/2, N/4, ..., 1:
; threads t < s add shared[t + s] into shared[t], and everyone waits at the barrier
; before the next step reads what this one wrote. Thread 0 stores shared[0].

.threads 16
.data 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16

    MUL R0, %blockIdx, %blockDim
    ADD R0, R0, %threadIdx         ; i = blockIdx * blockDim + threadIdx
    LDR R1, R0                     ; IN[i]
    STS %threadIdx, R1             ; shared[t] = IN[i]
    BAR                            ; every element is in shared memory
    CONST R2, #2
    DIV R3, %blockDim, R2          ; s = N / 2
    CONST R4, #0
step:
    CMP R3, R4
    BRz done                       ; s == 0: the sum is in shared[0]
    CMP %threadIdx, R3
    BRzp wait                      ; threads t >= s only wait
    ADD R5, %threadIdx, R3
    LDS R6, R5                     ; shared[t + s]
    LDS R7, %threadIdx             ; shared[t]
    ADD R7, R7, R6
    STS %threadIdx, R7             ; shared[t] += shared[t + s]
wait:
    BAR                            ; this step's sums are written before the next reads them
    DIV R3, R3, R2                 ; s = s / 2
    BRnzp step
done:
    CMP %threadIdx, R4
    BRnp exit                      ; only thread 0 stores the block's sum
    LDS R1, R4
    CONST R5, #32
    ADD R5, R5, %blockIdx
    STR R5, R1                     ; OUT[blockIdx] = shared[0]
exit:
    RET
