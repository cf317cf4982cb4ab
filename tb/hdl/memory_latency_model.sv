// SPDX-License-Identifier: MIT
// memory_latency_model: decides when one memory channel answers its request.
//
// Test-bench only. A request (valid) is answered after `latency` cycles plus a
// random extra 0..stall_max cycles drawn from a seeded xorshift32 generator, so a run
// is reproducible from its seed on either simulator. `respond` is high in the cycle
// whose closing edge should raise the channel's one-cycle `ready`: latency 1 answers
// at the first edge that sees valid, like tiny-gpu's own test memory. `valid` is still
// high in the cycle of `ready` (that is the handshake); from the cycle after, a high
// `valid` is the next request (a requester may stream them back to back).
`default_nettype none

module memory_latency_model #(
  parameter logic [31:0] SALT = 32'h9e3779b9  // makes each channel's random stream differ
) (
  input  logic        clk,
  input  logic        reset,
  input  logic        valid,
  input  logic [7:0]  latency,    // 1 or more; 0 is treated as 1
  input  logic [7:0]  stall_max,  // extra random cycles, 0..stall_max
  input  logic [31:0] seed,
  output logic        respond,
  output logic        accept,     // a new request is taken this cycle
  output logic        stalled     // waiting beyond the base latency
);

  typedef enum logic [1:0] {
    M_IDLE,     // no request
    M_COUNT,    // request seen, counting down
    M_RELEASE   // the cycle of `ready`: valid belongs to the request being answered
  } model_state_e;

  model_state_e state_q, state_d;
  logic [8:0]   wait_q,  wait_d;    // cycles left before answering
  logic [8:0]   extra_q, extra_d;   // random part of wait_q still ahead
  logic [31:0]  rng_q,   rng_d;

  // xorshift32 step
  function automatic logic [31:0] xorshift32(input logic [31:0] x);
    logic [31:0] y;
    y = x ^ (x << 13);
    y = y ^ (y >> 17);
    y = y ^ (y << 5);
    return y;
  endfunction

  logic [8:0] base_wait;   // cycles beyond the first edge
  logic [8:0] extra_draw;
  assign base_wait  = (latency == 8'd0) ? 9'd0 : {1'b0, latency} - 9'd1;
  assign extra_draw = (stall_max == 8'd0) ? 9'd0 : 9'(rng_q % ({24'd0, stall_max} + 32'd1));

  always_comb begin
    state_d = state_q;
    wait_d  = wait_q;
    extra_d = extra_q;
    rng_d   = rng_q;
    respond = 1'b0;
    case (state_q)
      M_IDLE: begin
        if (valid) begin
          rng_d = xorshift32(rng_q);
          if (base_wait + extra_draw == 9'd0) begin
            respond = 1'b1;
            state_d = M_RELEASE;
          end else begin
            wait_d  = base_wait + extra_draw;
            extra_d = extra_draw;
            state_d = M_COUNT;
          end
        end
      end
      M_COUNT: begin
        wait_d = wait_q - 9'd1;
        if (extra_q != 9'd0) extra_d = extra_q - 9'd1;
        if (wait_q == 9'd1) begin
          respond = 1'b1;
          state_d = M_RELEASE;
        end
      end
      M_RELEASE: state_d = M_IDLE;
      default: state_d = M_IDLE;
    endcase
  end

  assign stalled = (state_q == M_COUNT) && (extra_q != 9'd0);
  assign accept  = (state_q == M_IDLE) && valid;

  always_ff @(posedge clk) begin
    if (reset) begin
      state_q <= M_IDLE;
      wait_q  <= '0;
      extra_q <= '0;
      rng_q   <= (seed ^ SALT) == 32'd0 ? 32'h1 : (seed ^ SALT);
    end else begin
      state_q <= state_d;
      wait_q  <= wait_d;
      extra_q <= extra_d;
      rng_q   <= rng_d;
    end
  end

endmodule
