; canary_seed536_wide: program 536 of the random program generator (block_dim 8, size medium),
; kept as text so generator changes cannot change it.
; randprog seed=536 block_dim=8 size=medium
; threads=28 slot_bytes=2: inputs [0,128) read-only, thread g owns [128+g*2, 128+(g+1)*2)
; registers: base=R10 scratch=R5, R12 counters=R3, R9 limits=R7, R4 data=R8, R2, R6, R1, R0, R11
; 118 words, at most 294 instructions per thread
.threads 28

    MUL R10, %blockIdx, %blockDim ; prologue: base = 128 + gid*K
    ADD R10, R10, %threadIdx
    CONST R5, #2
    MUL R10, R10, R5
    CONST R5, #128
    ADD R10, R10, R5
    LDR R0, %threadIdx       ; load input[read-only register]
    SUB R1, R0, %threadIdx
    CONST R5, #128           ; load address = R10 mod 128
    DIV R12, R10, R5
    MUL R12, R12, R5
    SUB R12, R10, R12
    LDR R6, R12
    CONST R5, #2             ; reload from own slot: offset = %blockDim mod 2
    DIV R12, %blockDim, R5
    MUL R12, R12, R5
    SUB R12, %blockDim, R12
    ADD R12, R12, R10
    LDR R8, R12
    .word 0xDEBB             ; unused opcode: runs as NOP
    MUL R1, R6, %threadIdx
    CONST R3, #0             ; loop counter
    CONST R5, #4             ; loop trips = %threadIdx mod 4
    DIV R7, %threadIdx, R5
    MUL R7, R7, R5
    SUB R7, %threadIdx, R7
L1_loop:
    CMP R3, R7
    BRzp L2_endloop          ; loop exit
    CONST R5, #2             ; loop trips - 1 = %threadIdx mod 2
    DIV R9, %threadIdx, R5
    MUL R9, R9, R5
    SUB R9, %threadIdx, R9
    CONST R5, #1
    ADD R9, R9, R5
L3_loop:
    CONST R5, #2             ; reload from own slot: offset = R2 mod 2
    DIV R12, R2, R5
    MUL R12, R12, R5
    SUB R12, R2, R12
    ADD R12, R12, R10
    LDR R8, R12
    CONST R5, #128           ; load address = R4 mod 128
    DIV R12, R4, R5
    MUL R12, R12, R5
    SUB R12, R4, R12
    LDR R1, R12
    CONST R5, #2             ; store to own slot: offset = R0 mod 2
    DIV R12, R0, R5
    MUL R12, R12, R5
    SUB R12, R0, R12
    ADD R12, R12, R10
    STR R12, %blockIdx
    CONST R5, #193
    CMP R5, R10
    BRn L6_then              ; if: taken -> then, else fall into the else part
    CONST R5, #128           ; load address = %blockDim mod 128
    DIV R12, %blockDim, R5
    MUL R12, R12, R5
    SUB R12, %blockDim, R12
    LDR R1, R12
    BRnzp L5_endif
L6_then:
    DIV R8, R1, R6
L5_endif:
    CONST R5, #1
    SUB R9, R9, R5
    CONST R5, #0
    CMP R5, R9
    BRn L3_loop              ; loop back
L4_endloop:
    CONST R5, #1
    ADD R3, R3, R5
    BRnzp L1_loop
L2_endloop:
    CMP %threadIdx, R6
    BRp L8_then              ; if: taken -> then, else fall into the else part
    CONST R5, #8
    CMP R5, %blockDim
    BRnp L10_then            ; if: taken -> then, else fall into the else part
    SUB R2, R8, R8
    CONST R5, #2             ; store to own slot: offset = R10 mod 2
    DIV R12, R10, R5
    MUL R12, R12, R5
    SUB R12, R10, R12
    ADD R12, R12, R10
    STR R12, R8
    BRnzp L9_endif
L10_then:
    CONST R5, #128           ; load address = R11 mod 128
    DIV R12, R11, R5
    MUL R12, R12, R5
    SUB R12, R11, R12
    LDR R0, R12
L9_endif:
    DIV R8, R11, R1
    BRnzp L7_endif
L8_then:
    DIV R0, %threadIdx, R1
    MUL R11, %blockDim, %threadIdx
    CONST R5, #2             ; reload from own slot: offset = R2 mod 2
    DIV R12, R2, R5
    MUL R12, R12, R5
    SUB R12, R2, R12
    ADD R12, R12, R10
    LDR R1, R12
L7_endif:
    CONST R5, #3             ; loop trips = R10 mod 3
    DIV R3, R10, R5
    MUL R3, R3, R5
    SUB R3, R10, R3
L11_loop:
    CONST R5, #0
    CMP R5, R3
    BRzp L12_endloop         ; loop exit
    .word 0x4F81             ; SUB %threadIdx, R8, R1 (write dropped)
    SUB R2, %threadIdx, R1
    CONST R5, #1
    SUB R3, R3, R5
    BRnzp L11_loop
L12_endloop:
    DIV R6, %blockIdx, R1
    ADD R11, %blockIdx, R1
    CONST R5, #2             ; store to own slot: offset = %blockIdx mod 2
    DIV R12, %blockIdx, R5
    MUL R12, R12, R5
    SUB R12, %blockIdx, R12
    ADD R12, R12, R10
    STR R12, %blockIdx
    RET                      ; the only exit: every path ends here

; initial data memory (256 bytes)
.data 233 6 255 7 73 2 98 255 187 255 0 4 248 0 3 41
.data 1 0 255 7 255 5 0 6 64 6 242 254 21 0 6 145
.data 141 0 56 60 6 72 222 160 70 6 255 5 178 6 232 78
.data 0 96 0 96 220 0 201 0 5 0 7 223 21 7 0 162
.data 0 0 255 121 7 0 227 191 17 119 7 255 0 255 10 163
.data 2 5 5 255 127 216 222 3 255 2 5 61 255 0 43 215
.data 1 2 7 166 255 171 148 31 68 134 165 35 0 170 160 5
.data 4 6 1 6 0 185 2 72 40 0 2 5 26 255 255 255
.data 209 5 123 6 7 0 3 255 106 0 34 228 235 4 255 42
.data 3 20 0 255 169 2 45 155 7 1 245 101 0 46 3 96
.data 196 253 5 28 171 184 247 2 0 0 2 6 7 136 55 255
.data 216 225 91 5 230 138 255 15 5 0 188 63 65 99 2 27
.data 128 0 146 136 0 0 31 10 102 166 0 180 255 4 0 5
.data 255 7 5 45 255 179 0 0 40 0 6 255 4 147 173 0
.data 30 0 56 5 0 255 132 0 1 170 143 113 207 0 145 143
.data 104 0 19 226 196 159 5 86 0 86 255 244 133 0 245 255
