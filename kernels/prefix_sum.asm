; prefix_sum: inclusive prefix sum of each block's elements (Hillis-Steele scan).
;
;   OUT[b*N + t] = IN[b*N] + ... + IN[b*N + t] (mod 256);  IN at 0-11, OUT at 32-43.
;   Any block size; a partial last block works too (thread t reads only below t).
;
; log2(N) steps with offsets d = 1, 2, 4, ...: thread t adds the element d places to
; its left. Two buffers in shared memory (src, dst: [0, N) and [N, 2N)) swap every
; step, so one barrier per step is enough: it orders the last step's writes before
; this step's reads, and the last step's reads of a buffer before this step's writes.

.threads 12
.data 3 1 4 1 5 9 2 6 5 3 5 8

    MUL R0, %blockIdx, %blockDim
    ADD R0, R0, %threadIdx         ; i = blockIdx * blockDim + threadIdx
    LDR R1, R0                     ; v = IN[i]
    STS %threadIdx, R1             ; src[t] = v  (src = shared[0, N))
    CONST R7, #0                   ; zero, for moves
    CONST R2, #1                   ; d = 1
    CONST R3, #0                   ; src = 0
    ADD R4, %blockDim, R7          ; dst = N
step:
    CMP R2, %blockDim
    BRzp done                      ; d >= N: v is the prefix sum
    BAR                            ; the last step's buffer is complete
    ADD R5, R3, %threadIdx
    LDS R1, R5                     ; v = src[t]
    CMP %threadIdx, R2
    BRn keep                       ; t < d: nothing d places to the left
    SUB R6, R5, R2
    LDS R6, R6                     ; src[t - d]
    ADD R1, R1, R6
keep:
    ADD R5, R4, %threadIdx
    STS R5, R1                     ; dst[t] = v
    ADD R6, R3, R7                 ; swap src and dst
    ADD R3, R4, R7
    ADD R4, R6, R7
    ADD R2, R2, R2                 ; d = 2d
    BRnzp step
done:
    CONST R5, #32
    ADD R5, R5, R0
    STR R5, R1                     ; OUT[i] = v
    RET
