; many_blocks: 64 threads, i.e. 16 blocks of 4 spread over the cores (64 blocks with
; blockDim 1), so the dispatcher hands out many more blocks than there are cores.
; Every thread writes a function of its global index and records its block coordinates.
; The two coefficients are read by every thread and written by none.
;
;   OUT[i] = A * i + B (mod 256);  BLK[i] = %blockIdx;  TID[i] = %threadIdx
;
; Layout: A at 0, B at 1, OUT at 64-127, BLK at 128-191, TID at 192-255.

.threads 64
.data 5 17                     ; A, B

    MUL R0, %blockIdx, %blockDim
    ADD R0, R0, %threadIdx         ; i = blockIdx * blockDim + threadIdx
    CONST R1, #0
    LDR R1, R1                     ; A
    CONST R2, #1
    LDR R2, R2                     ; B
    MUL R3, R1, R0
    ADD R3, R3, R2                 ; A * i + B

    CONST R4, #64
    ADD R5, R4, R0
    STR R5, R3                     ; OUT[i]  at 64 + i
    ADD R5, R5, R4
    STR R5, %blockIdx              ; BLK[i]  at 128 + i
    ADD R5, R5, R4
    STR R5, %threadIdx             ; TID[i]  at 192 + i
    RET
