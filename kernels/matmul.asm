; matmul: tiny-gpu's second demo kernel, the product of two 2x2 byte matrices.
; Tests a loop (CMP + BRn backwards), DIV and MUL for row/column, and the N flag on an
; unsigned comparison (tiny-gpu's CMP never set N; its loop worked by accident).
; Layout (row-major): A at 0-3, B at 4-7, C at 8-11; thread i computes
; C[row][col] = sum over k of A[row][k] * B[k][col], with row = i / 2 and col = i % 2.

.threads 4
.data 1 2 3 4                  ; matrix A (2 x 2)
.data 1 2 3 4                  ; matrix B (2 x 2)

MUL R0, %blockIdx, %blockDim
ADD R0, R0, %threadIdx         ; i = blockIdx * blockDim + threadIdx

CONST R1, #1                   ; increment
CONST R2, #2                   ; N (matrix inner dimension)
CONST R3, #0                   ; baseA (matrix A base address)
CONST R4, #4                   ; baseB (matrix B base address)
CONST R5, #8                   ; baseC (matrix C base address)

DIV R6, R0, R2                 ; row = i // N
MUL R7, R6, R2
SUB R7, R0, R7                 ; col = i % N

CONST R8, #0                   ; acc = 0
CONST R9, #0                   ; k = 0

LOOP:
  MUL R10, R6, R2
  ADD R10, R10, R9
  ADD R10, R10, R3             ; addr(A[row][k]) = row * N + k + baseA
  LDR R10, R10                 ; load A[row][k] from global memory

  MUL R11, R9, R2
  ADD R11, R11, R7
  ADD R11, R11, R4             ; addr(B[k][col]) = k * N + col + baseB
  LDR R11, R11                 ; load B[k][col] from global memory

  MUL R12, R10, R11
  ADD R8, R8, R12              ; acc = acc + A[row][k] * B[k][col]

  ADD R9, R9, R1               ; increment k

  CMP R9, R2
  BRn LOOP                     ; loop while k < N

ADD R9, R5, R0                 ; addr(C[i]) = baseC + i
STR R9, R8                     ; store C[i] in global memory

RET                            ; end of kernel
