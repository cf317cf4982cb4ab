; matmul4_tiled: 4x4 matrix product C = A x B, tiled through shared memory.
;
;   A at 0-15, B at 16-31, C at 32-47 (row-major); 16 threads in blocks of 4: block b
;   computes the 2x2 tile of C at tile row b / 2, tile column b mod 2, thread t its
;   element (ty, tx) = (t / 2, t mod 2).
;
; For each of the two 2-wide strips along k, the block loads a 2x2 tile of A and one of
; B into shared memory (one element per thread), waits, multiplies out of shared memory,
; and waits again before the next strip overwrites the tiles. Each thread loads 4 bytes
; from global memory instead of the 8 of matmul4: the block shares what it loaded.

.threads 16
.data 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16
.data 2 0 1 3 1 2 0 1 3 1 2 0 0 3 1 2

    CONST R12, #2
    DIV R0, %blockIdx, R12         ; tile row
    MUL R1, R0, R12
    SUB R1, %blockIdx, R1          ; tile column
    DIV R2, %threadIdx, R12        ; ty
    MUL R3, R2, R12
    SUB R3, %threadIdx, R3         ; tx
    MUL R4, R0, R12
    ADD R4, R4, R2                 ; row = 2 * tile row + ty
    MUL R5, R1, R12
    ADD R5, R5, R3                 ; col = 2 * tile column + tx
    CONST R6, #0                   ; acc
    CONST R7, #0                   ; k0: the strip's first k
    CONST R8, #4
strip:
    MUL R9, R4, R8
    ADD R9, R9, R7
    ADD R9, R9, R3
    LDR R10, R9                    ; A[row][k0 + tx]
    STS %threadIdx, R10            ; As[ty][tx] = shared[t]
    ADD R9, R7, R2
    MUL R9, R9, R8
    ADD R9, R9, R5
    CONST R11, #16
    ADD R9, R9, R11
    LDR R10, R9                    ; B[k0 + ty][col]
    CONST R11, #4
    ADD R11, R11, %threadIdx
    STS R11, R10                   ; Bs[ty][tx] = shared[4 + t]
    BAR                            ; both tiles are complete
    MUL R9, R2, R12
    LDS R10, R9                    ; As[ty][0]
    CONST R11, #4
    ADD R11, R11, R3
    LDS R11, R11                   ; Bs[0][tx]
    MUL R10, R10, R11
    ADD R6, R6, R10
    CONST R11, #1
    ADD R9, R9, R11
    LDS R10, R9                    ; As[ty][1]
    CONST R11, #6
    ADD R11, R11, R3
    LDS R11, R11                   ; Bs[1][tx]
    MUL R10, R10, R11
    ADD R6, R6, R10
    BAR                            ; everyone has read the tiles before they change
    ADD R7, R7, R12                ; next strip
    CMP R7, R8
    BRn strip
    MUL R9, R4, R8
    ADD R9, R9, R5
    CONST R11, #32
    ADD R9, R9, R11
    STR R9, R6                     ; C[row][col]
    RET
