; divergent_if_else: threads of one block take different sides of an if/else on their own
; data, then reconverge and run common code. The two sides have different lengths, so
; threads sit at different PCs; a core that follows one thread's PC (tiny-gpu defect 1)
; runs the wrong side for the others.
;
;   x = X[i]
;   if x < 10:  y = x * 3;   path = 1        (then-side, 4 instructions)
;   else:       y = x - 10;  path = 2        (else-side, 2 instructions)
;   OUT[i]  = y + i                          (common code after reconvergence)
;   PATH[i] = path
;
; Layout: X at 0-7, OUT at 16-23, PATH at 24-31.

.threads 8
.data 3 12 9 10 0 200 7 11     ; X: both sides in every block, with the boundary 9/10

    MUL R0, %blockIdx, %blockDim
    ADD R0, R0, %threadIdx         ; i = blockIdx * blockDim + threadIdx
    LDR R1, R0                     ; x = X[i]  (X starts at address 0)
    CONST R2, #10
    CMP R1, R2
    BRzp ELSE                      ; x >= 10: else-side

    CONST R3, #3                   ; then-side
    MUL R4, R1, R3                 ; y = x * 3
    CONST R5, #1                   ; path = 1
    BRnzp ENDIF

ELSE:
    SUB R4, R1, R2                 ; y = x - 10
    CONST R5, #2                   ; path = 2

ENDIF:                             ; both sides reconverge here
    ADD R4, R4, R0                 ; y = y + i
    CONST R6, #16
    ADD R6, R6, R0
    STR R6, R4                     ; OUT[i] = y
    CONST R6, #24
    ADD R6, R6, R0
    STR R6, R5                     ; PATH[i] = path
    RET
