; nested_divergence: two levels of data-dependent if/else, so the threads of one block
; split into up to four groups at four different PCs before reconverging.
;
;   x = X[i]
;   if x < 128:
;       if x is even:  y = x / 2;    leaf = 1
;       else:          y = x * 2;    leaf = 2
;   else:
;       if x < 200:    y = x - 128;  leaf = 3
;       else:          y = 255 - x;  leaf = 4
;   OUT[i] = y;  LEAF[i] = leaf
;
; Layout: X at 0-7, OUT at 32-39, LEAF at 40-47.

.threads 8
.data 4 7 128 250              ; leaves 1 2 3 4 (128 is the outer boundary)
.data 127 199 0 200            ; leaves 2 3 1 4 (199/200 is the inner boundary)

    MUL R0, %blockIdx, %blockDim
    ADD R0, R0, %threadIdx         ; i = blockIdx * blockDim + threadIdx
    LDR R1, R0                     ; x = X[i]
    CONST R2, #128
    CMP R1, R2
    BRzp HIGH                      ; x >= 128

    CONST R3, #2                   ; x < 128: test parity
    DIV R4, R1, R3
    MUL R5, R4, R3
    CMP R1, R5                     ; x == (x / 2) * 2 means even
    BRnp ODD
    DIV R6, R1, R3                 ; even: y = x / 2
    CONST R8, #1                   ; leaf = 1
    BRnzp DONE
ODD:
    MUL R6, R1, R3                 ; odd: y = x * 2
    CONST R8, #2                   ; leaf = 2
    BRnzp DONE

HIGH:
    CONST R3, #200
    CMP R1, R3
    BRn MIDDLE                     ; 128 <= x < 200
    CONST R9, #255                 ; x >= 200: y = 255 - x
    SUB R6, R9, R1
    CONST R8, #4                   ; leaf = 4
    BRnzp DONE
MIDDLE:
    SUB R6, R1, R2                 ; y = x - 128
    CONST R8, #3                   ; leaf = 3

DONE:                              ; all four leaves reconverge here
    CONST R10, #32
    ADD R10, R10, R0
    STR R10, R6                    ; OUT[i] = y
    CONST R10, #40
    ADD R10, R10, R0
    STR R10, R8                    ; LEAF[i] = leaf
    RET
