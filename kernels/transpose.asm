; transpose: matrix transpose through shared memory, both sides coalesced.
;
;   A is 8 x N (row-major at 0), OUT = A^T is N x 8 (row-major at 128), N = %blockDim.
;   Block b transposes the N x N tile of A's rows b*N .. b*N+N-1 (needs N*N bytes of
;   shared memory); N divides 8, so every block is full.
;
; Phase 1: for each tile row j, the threads read A[b*N + j][t] together (neighbouring
; threads, neighbouring addresses) and put it at tile[j][t]. Barrier. Phase 2: for each
; output row j, thread t reads tile[t][j] (the transposed element) and writes
; OUT[j][b*N + t], again neighbouring addresses. Only shared memory is read across.

.threads 8
.data 3 0 7 4 1 8 5 2 9 6 3 0 7 4 1 8 5 2 9 6 3 0 7 4 1 8 5 2 9 6 3 0 7 4 1 8 5 2 9 6 3 0 7 4 1 8 5 2 9 6 3 0 7 4 1 8 5 2 9 6 3 0 7 4

    MUL R0, %blockIdx, %blockDim   ; r0: the tile's first row of A
    CONST R6, #1
    CONST R1, #0                   ; j = 0
load:
    CMP R1, %blockDim
    BRzp loaded
    ADD R2, R0, R1
    MUL R2, R2, %blockDim
    ADD R2, R2, %threadIdx         ; &A[r0 + j][t]
    LDR R3, R2
    MUL R4, R1, %blockDim
    ADD R4, R4, %threadIdx
    STS R4, R3                     ; tile[j][t] = A[r0 + j][t]
    ADD R1, R1, R6
    BRnzp load
loaded:
    BAR                            ; the whole tile is in shared memory
    CONST R1, #0                   ; j = 0
store:
    CMP R1, %blockDim
    BRzp exit
    MUL R4, %threadIdx, %blockDim
    ADD R4, R4, R1
    LDS R3, R4                     ; tile[t][j] = A[r0 + t][j]
    CONST R5, #8
    MUL R2, R1, R5                 ; OUT row j has 8 columns, one per row of A
    ADD R2, R2, R0
    ADD R2, R2, %threadIdx
    CONST R5, #128
    ADD R2, R2, R5                 ; &OUT[j][r0 + t]
    STR R2, R3
    ADD R1, R1, R6
    BRnzp store
exit:
    RET
