; loop_trip_counts: every thread runs a loop a data-dependent number of times, from 0
; (the body never runs) to 25; threads leave the loop at different times while others
; keep branching backwards. The sum wraps modulo 256 for the longest loop.
;
;   n = N[i];  k = 0;  sum = 0
;   while k < n:  k = k + 1;  sum = sum + k
;   SUM[i] = sum (= n(n+1)/2 mod 256);  COUNT[i] = k (= n)
;
; Layout: N at 0-7, SUM at 16-23, COUNT at 24-31.

.threads 8
.data 0 1 5 3 0 25 2 7         ; N: trip counts, two zeros, 25 wraps the sum (325 -> 69)

    MUL R0, %blockIdx, %blockDim
    ADD R0, R0, %threadIdx         ; i = blockIdx * blockDim + threadIdx
    LDR R1, R0                     ; n = N[i]
    CONST R2, #0                   ; k = 0
    CONST R3, #0                   ; sum = 0
    CONST R4, #1

LOOP:
    CMP R2, R1
    BRzp EXIT                      ; leave when k >= n (at once when n = 0)
    ADD R2, R2, R4                 ; k = k + 1
    ADD R3, R3, R2                 ; sum = sum + k
    BRnzp LOOP

EXIT:
    CONST R5, #16
    ADD R5, R5, R0
    STR R5, R3                     ; SUM[i] = sum
    CONST R5, #24
    ADD R5, R5, R0
    STR R5, R2                     ; COUNT[i] = k
    RET
