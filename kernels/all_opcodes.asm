; all_opcodes: every opcode at least once, with the arithmetic corner cases: ADD overflow,
; SUB underflow, MUL wrap-around, DIV rounding down and DIV by zero (255), CMP with each
; outcome, LDR/STR (including reading back a byte the thread stored), CONST with a hex
; immediate, NOP (plain and with don't-care bits set), BRnzp and RET. R12 is never written:
; registers start at 0, and slot 7 records that.
;
; Thread i reads a = A[i], b = B[i] and writes 8 bytes at OUT + 8*i:
;   slot 0: a + b        slot 1: a - b        slot 2: a * b      slot 3: a / b (b = 0 -> 255)
;   slot 4: 1 if a < b, 2 if a == b, 3 if a > b
;   slot 5: 0xA5         slot 6: slot 0 loaded back             slot 7: R12 (0)
; (all arithmetic modulo 256)
;
; Layout: A at 0-5, B at 8-13, OUT at 16-63.

.threads 6
.data 200 5 3 255 0 128        ; A
.data 0 0                      ; (unused, must survive)
.data 100 0 7 255 9 2          ; B

    MUL R0, %blockIdx, %blockDim
    ADD R0, R0, %threadIdx         ; i = blockIdx * blockDim + threadIdx
    NOP                            ; changes nothing
    .word 0x0ABC                   ; NOP with don't-care bits set: changes nothing either
    LDR R1, R0                     ; a = A[i]
    CONST R2, #8
    ADD R2, R2, R0
    LDR R2, R2                     ; b = B[i]

    CONST R3, #8
    MUL R8, R0, R3
    CONST R5, #16
    ADD R8, R8, R5                 ; R8 = OUT + 8*i, address of slot 0
    ADD R4, R8, R12                ; R4 = slot pointer (R12 = 0 acts as a move)
    CONST R5, #1                   ; pointer step

    ADD R6, R1, R2
    STR R4, R6                     ; slot 0: a + b
    ADD R4, R4, R5
    SUB R6, R1, R2
    STR R4, R6                     ; slot 1: a - b
    ADD R4, R4, R5
    MUL R6, R1, R2
    STR R4, R6                     ; slot 2: a * b
    ADD R4, R4, R5
    DIV R6, R1, R2
    STR R4, R6                     ; slot 3: a / b
    ADD R4, R4, R5

    CMP R1, R2
    CONST R6, #1
    BRn CMP_DONE                   ; a < b: 1
    CONST R6, #2
    BRz CMP_DONE                   ; a == b: 2
    CONST R6, #3                   ; a > b: 3
CMP_DONE:
    STR R4, R6                     ; slot 4: comparison code
    ADD R4, R4, R5

    CONST R6, #0xA5
    STR R4, R6                     ; slot 5: 0xA5
    ADD R4, R4, R5
    LDR R7, R8                     ; load slot 0 back
    STR R4, R7                     ; slot 6: a + b again
    ADD R4, R4, R5
    STR R4, R12                    ; slot 7: R12, never written
    BRnzp END                      ; always jumps
    CONST R6, #0xEE                ; skipped
    STR R8, R6                     ; skipped: would overwrite slot 0
END:
    RET
