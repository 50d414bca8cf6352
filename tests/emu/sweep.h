/* SPDX-License-Identifier: MIT */
/*
 * The opcode sweep: encodings run as a guest's only instruction, one mode
 * at a time. sweep_encode() is the grammar (an index names an encoding);
 * sweep_range() runs a range of indices on one machine and guest after
 * another; sweep_isolated() runs ranges in child processes, so that an
 * encoding that kills the process is named and the sweep goes on past it.
 * Used by test_opcode_sweep.c and test_sweep_found.c.
 */
#ifndef TESTS_EMU_SWEEP_H
#define TESTS_EMU_SWEEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum sweep_mode { SWEEP_REAL, SWEEP_PROT32, SWEEP_LONG, SWEEP_MODES };

/* Bytes written for each encoding: the instruction and the fill after it. */
#define SWEEP_WINDOW 32
/* What follows the ModRM byte (SIB, displacement, immediate). */
#define SWEEP_FILL 0x08

/*
 * The grammar. Prefix forms: none, 66, F2, F3, F0 (LOCK) and, in 64-bit
 * mode only, REX.W (48). Each goes before the four opcode maps (xx, 0F xx,
 * 0F 38 xx, 0F 3A xx), each with all 256 opcodes and all 256 ModRM bytes.
 */
enum sweep_form { SWEEP_BARE, SWEEP_66, SWEEP_F2, SWEEP_F3, SWEEP_LOCK, SWEEP_REXW, SWEEP_FORMS };
enum sweep_map { SWEEP_1B, SWEEP_0F, SWEEP_0F38, SWEEP_0F3A, SWEEP_MAPS };

uint64_t sweep_count(enum sweep_mode m);
/* The window for index idx; returns the length up to and with the ModRM byte. */
size_t sweep_encode(uint64_t idx, uint8_t out[SWEEP_WINDOW]);
const char *sweep_mode_name(enum sweep_mode m);

/* How one encoding ended. */
enum sweep_kind {
	SWEEP_UD,          /* #VMEXIT(#UD) */
	SWEEP_RETIRED,     /* #VMEXIT(#DB): the single-step trap after it retired */
	SWEEP_EXCEPTION,   /* #VMEXIT on any other exception */
	SWEEP_INTERCEPT,   /* any other #VMEXIT */
	SWEEP_MODEL_ERROR, /* the model ended the run with an error */
	SWEEP_KINDS,
};

struct sweep_result {
	enum sweep_kind kind;
	uint64_t exit_code, info1, rip;
	uint64_t start_rip;      /* where the instruction was */
	const char *error;       /* SWEEP_MODEL_ERROR: the model's message */
};

/* What to run: the encoder fills the window and returns the length to show. */
typedef size_t (*sweep_encode_fn)(uint64_t idx, uint8_t out[SWEEP_WINDOW]);
typedef void (*sweep_visit_fn)(void *user, uint64_t idx, const struct sweep_result *r);
struct sweep_plan {
	enum sweep_mode mode;
	sweep_encode_fn encode;
	sweep_visit_fn visit;   /* once per encoding, in index order */
	void *user;
};

/*
 * Runs the encodings [*next, end) on fresh machines, one for each run of
 * SWEEP_BATCH encodings and one more after each model error. *next is the
 * encoding in flight, for a caller that must name it. Returns 0, or -1
 * with a message when a machine could not be built.
 */
#define SWEEP_BATCH 8192u
int sweep_range(const struct sweep_plan *p, volatile uint64_t *next, uint64_t end, char *err,
		size_t errlen);

/*
 * Runs body(user[w], to, next) in child processes, nworkers at once, each
 * on an equal part of [from, to) and starting at *next. A child that dies
 * (a signal, an exit status but 0 and SWEEP_GAVE_UP, or no progress for
 * SWEEP_STALL_SECONDS) died on the encoding *next: died(user[w], idx, how)
 * is called in the parent, and a new child goes on from idx + 1. A body
 * that cannot go on for a reason of its own returns SWEEP_GAVE_UP, and
 * records why. user[w] points at memory shared with the children
 * (sweep_shared_alloc), where they leave their results.
 */
#define SWEEP_STALL_SECONDS 60u
#define SWEEP_GAVE_UP 77
typedef int (*sweep_body_fn)(void *user, uint64_t to, volatile uint64_t *next);
typedef void (*sweep_died_fn)(void *user, uint64_t idx, const char *how);
void sweep_isolated(unsigned nworkers, uint64_t from, uint64_t to, sweep_body_fn body,
		    sweep_died_fn died, void *const user[]);
void *sweep_shared_alloc(size_t size);
void sweep_shared_free(void *p, size_t size);

#endif
