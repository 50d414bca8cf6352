/* SPDX-License-Identifier: MIT */
/*
 * The guest loops the MIPS measurements run, byte for byte the same on the
 * model and on bare Unicorn. Each is one straight block ending in
 * `dec rcx; jnz loop`: RCX holds the iteration count on entry and is 0 when
 * the loop is done, so a run can be checked to have done them all.
 *
 *   count:  add rax, 1                  48 83 c0 01
 *   load:   8 x mov rax, [rbx]          48 8b 03
 *   store:  8 x mov [rbx], rax          48 89 03
 *   then:   dec rcx                     48 ff c9
 *           jnz loop                    75 rel8
 *
 * The load and store loops differ in one opcode byte, so their ratio is the
 * cost of a guest store against a guest load. RBX must hold the address of
 * writable data that is not on the loop's own page (a store there would be
 * self-modifying code).
 *
 * Who may include it: cli/.
 */
#ifndef VX_CLI_BENCH_LOOP_H
#define VX_CLI_BENCH_LOOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vx_bench_loop {
	const char *what;              /* for messages */
	const uint8_t *code;
	size_t len;                    /* the instruction after the loop is at code + len */
	uint32_t insns_per_iteration;
	bool uses_rbx;                 /* reads or writes memory at RBX */
};

extern const struct vx_bench_loop vx_bench_loop_count;
extern const struct vx_bench_loop vx_bench_loop_load;
extern const struct vx_bench_loop vx_bench_loop_store;

#endif
