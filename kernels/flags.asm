; flags: every CMP outcome (N, Z, P, unsigned: 0 < 255) against every branch condition,
; taken and not taken, plus the condition 000 that never jumps, the NZP value a thread
; starts with (Z) and the rule that only CMP changes NZP.
;
; Thread i compares a = A[i] with b = B[i] and writes 10 bytes at OUT + 16*i:
;   slot 0:    flags at thread start, before any CMP: 1 = N, 2 = Z, 3 = P (always 2)
;   slots 1-7: 1 if BRn, BRz, BRp, BRnz, BRnp, BRzp, BRnzp jumps after CMP a, b, else 0
;   slot 8:    1 if the branch with condition 000 jumps, else 0 (always 0)
;   slot 9:    flags at the end, coded like slot 0 (unchanged since the CMP)
;
; Layout: A at 0-5, B at 8-13, OUT at 32-121 (16 bytes a thread, 10 used).

.threads 6
.data 1 2 3 0 255 128          ; A
.data 0 0                      ; (unused, must survive)
.data 2 2 2 255 0 128          ; B: outcomes N Z P N P Z

    BRnzp MAIN                     ; address 0: jumps even before any CMP
NEVER_TAKEN:                       ; address 1, the target of the .word branch below
    CONST R6, #1
    BRnzp NEVER_JOIN

MAIN:
    MUL R0, %blockIdx, %blockDim
    ADD R0, R0, %threadIdx         ; i = blockIdx * blockDim + threadIdx
    CONST R4, #16
    MUL R4, R4, R0
    CONST R5, #32
    ADD R4, R4, R5                 ; slot pointer = OUT + 16*i
    CONST R5, #1                   ; pointer step

    CONST R6, #1                   ; slot 0: the flags a thread starts with
    BRn INIT_DONE
    CONST R6, #2
    BRz INIT_DONE
    CONST R6, #3
INIT_DONE:
    STR R4, R6
    ADD R4, R4, R5

    LDR R1, R0                     ; a = A[i]
    CONST R2, #8
    ADD R2, R2, R0
    LDR R2, R2                     ; b = B[i]
    CMP R1, R2                     ; the flags every branch below tests

    CONST R6, #1                   ; slot 1: BRn
    BRn N_DONE
    CONST R6, #0
N_DONE:
    STR R4, R6
    ADD R4, R4, R5

    CONST R6, #1                   ; slot 2: BRz
    BRz Z_DONE
    CONST R6, #0
Z_DONE:
    STR R4, R6
    ADD R4, R4, R5

    CONST R6, #1                   ; slot 3: BRp
    BRp P_DONE
    CONST R6, #0
P_DONE:
    STR R4, R6
    ADD R4, R4, R5

    CONST R6, #1                   ; slot 4: BRnz
    BRnz NZ_DONE
    CONST R6, #0
NZ_DONE:
    STR R4, R6
    ADD R4, R4, R5

    CONST R6, #1                   ; slot 5: BRnp
    BRnp NP_DONE
    CONST R6, #0
NP_DONE:
    STR R4, R6
    ADD R4, R4, R5

    CONST R6, #1                   ; slot 6: BRzp
    BRzp ZP_DONE
    CONST R6, #0
ZP_DONE:
    STR R4, R6
    ADD R4, R4, R5

    CONST R6, #1                   ; slot 7: BRnzp
    BRnzp NZP_DONE
    CONST R6, #0
NZP_DONE:
    STR R4, R6
    ADD R4, R4, R5

    CONST R6, #0                   ; slot 8: condition 000
    .word 0x1001                   ; branch, condition 000, to NEVER_TAKEN (address 1)
NEVER_JOIN:
    STR R4, R6
    ADD R4, R4, R5

    CONST R6, #1                   ; slot 9: the flags now
    BRn FINAL_DONE
    CONST R6, #2
    BRz FINAL_DONE
    CONST R6, #3
FINAL_DONE:
    STR R4, R6
    RET
