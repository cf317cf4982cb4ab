; matmul4: 4x4 matrix product C = A x B straight from global memory (matmul4_tiled's
; comparison in make bench).
;
;   A at 0-15, B at 16-31, C at 32-47 (row-major); thread i computes C[i / 4][i mod 4]
;   with 4 loads of A and 4 of B. Any block size.

.threads 16
.data 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16
.data 2 0 1 3 1 2 0 1 3 1 2 0 0 3 1 2

    CONST R8, #4
    MUL R0, %blockIdx, %blockDim
    ADD R0, R0, %threadIdx         ; i
    DIV R4, R0, R8                 ; row
    MUL R5, R4, R8
    SUB R5, R0, R5                 ; col
    CONST R6, #0                   ; acc
    CONST R7, #0                   ; k
    CONST R12, #1
loop:
    MUL R9, R4, R8
    ADD R9, R9, R7
    LDR R10, R9                    ; A[row][k]
    MUL R9, R7, R8
    ADD R9, R9, R5
    CONST R11, #16
    ADD R9, R9, R11
    LDR R11, R9                    ; B[k][col]
    MUL R10, R10, R11
    ADD R6, R6, R10
    ADD R7, R7, R12
    CMP R7, R8
    BRn loop
    CONST R11, #32
    ADD R9, R0, R11
    STR R9, R6                     ; C[i]
    RET
