; partial_block: 7 threads, so the last block is partial for block sizes 2, 4, 5 and 6
; (tiny-gpu defect 1 could hang the core there). Each thread records the three special
; registers: %blockDim must be the full block size also in the partial last block.
; X[7] is input data that no thread exists to read or overwrite: it must survive.
;
;   OUT[i] = 2 * X[i] + 1;  BLK[i] = %blockIdx;  DIM[i] = %blockDim;  TID[i] = %threadIdx
;
; Layout: X at 0-7, OUT at 16-23, BLK at 24-31, DIM at 32-39, TID at 40-47
; (slot 7 of each output array stays untouched).

.threads 7
.data 10 20 30 40 50 60 70 80

    MUL R0, %blockIdx, %blockDim
    ADD R0, R0, %threadIdx         ; i = blockIdx * blockDim + threadIdx
    LDR R1, R0                     ; x = X[i]
    ADD R1, R1, R1
    CONST R2, #1
    ADD R1, R1, R2                 ; 2x + 1

    CONST R3, #16
    ADD R3, R3, R0
    STR R3, R1                     ; OUT[i]
    CONST R3, #24
    ADD R3, R3, R0
    STR R3, %blockIdx              ; BLK[i]
    CONST R3, #32
    ADD R3, R3, R0
    STR R3, %blockDim              ; DIM[i]
    CONST R3, #40
    ADD R3, R3, R0
    STR R3, %threadIdx             ; TID[i]
    RET
