; six_blocks: 24 threads, i.e. six blocks of 4 on the default configuration, in 9
; instructions: each thread loads its element, triples it and stores it.
; (The shape of the six-block benchmark of issue 7: more blocks than a core holds at once.)
;
;   OUT[i] = 3 * IN[i] (mod 256);  IN at 0-23, OUT at 32-55

.threads 24
.data 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24

    MUL R0, %blockIdx, %blockDim
    ADD R0, R0, %threadIdx         ; i = blockIdx * blockDim + threadIdx
    LDR R1, R0                     ; IN[i]
    CONST R2, #3
    MUL R1, R1, R2                 ; 3 * IN[i]
    CONST R3, #32
    ADD R3, R3, R0                 ; address of OUT[i]
    STR R3, R1
    RET
