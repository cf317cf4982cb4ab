; readonly_and_illegal: writes to the read-only registers %blockIdx, %blockDim and
; %threadIdx (CONST, ADD, SUB, MUL, DIV and LDR, encoded with .word because the assembler
; refuses them) must be dropped, and the unused opcodes 0xD and 0xE must run as NOP: no
; register, flag, memory or PC change. (tiny-gpu left 0xA-0xE unused; this GPU gives
; 0xA-0xC to BAR, LDS and STS, so they are no longer part of this test.) The encodings are chosen so that a decoder that
; mistook them for a real instruction would visibly change something.
;
; Thread i (computed from the special registers after the attempted writes) writes 8 bytes
; at OUT + 8*i:
;   slot 0: %blockIdx  slot 1: %blockDim  slot 2: %threadIdx   (all unchanged)
;   slot 3: R1 (77)    slot 4: R2 (5)     slot 5: flags code, 3 = P from CMP 77, 5
;   slot 6: i          slot 7: untouched
;
; Layout: X at 0 (read by the dropped LDRs), OUT at 16-79.

.threads 8
.data 42                       ; X

    CONST R1, #77
    CONST R2, #5
    .word 0x9D63                   ; CONST %blockIdx, #99
    .word 0x9E63                   ; CONST %blockDim, #99
    .word 0x9F63                   ; CONST %threadIdx, #99
    .word 0x3D12                   ; ADD %blockIdx, R1, R2
    .word 0x4E12                   ; SUB %blockDim, R1, R2
    .word 0x5F12                   ; MUL %threadIdx, R1, R2
    .word 0x6D12                   ; DIV %blockIdx, R1, R2
    .word 0x7E00                   ; LDR %blockDim, R0: reads X (R0 = 0), writes nothing
    .word 0x7F00                   ; LDR %threadIdx, R0: likewise

    CMP R1, R2                     ; flags = P
    .word 0xD021                   ; unused opcode 0xD (shaped like "CMP R2, R1": N)
    .word 0xE012                   ; unused opcode 0xE (shaped like "store R2 at R1")

    MUL R0, %blockIdx, %blockDim
    ADD R0, R0, %threadIdx         ; i = blockIdx * blockDim + threadIdx
    CONST R3, #8
    MUL R4, R0, R3
    CONST R5, #16
    ADD R4, R4, R5                 ; slot pointer = OUT + 8*i
    CONST R5, #1                   ; pointer step

    STR R4, %blockIdx              ; slot 0
    ADD R4, R4, R5
    STR R4, %blockDim              ; slot 1
    ADD R4, R4, R5
    STR R4, %threadIdx             ; slot 2
    ADD R4, R4, R5
    STR R4, R1                     ; slot 3
    ADD R4, R4, R5
    STR R4, R2                     ; slot 4
    ADD R4, R4, R5

    CONST R6, #1                   ; slot 5: flags code
    BRn FLAGS_DONE
    CONST R6, #2
    BRz FLAGS_DONE
    CONST R6, #3
FLAGS_DONE:
    STR R4, R6
    ADD R4, R4, R5
    STR R4, R0                     ; slot 6: i
    RET
