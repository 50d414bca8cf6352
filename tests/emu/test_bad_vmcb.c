/* SPDX-License-Identifier: MIT */
/*
 * Bad input: VMRUN on VMCBs full of pseudo-random values (a fixed seed, so
 * every run is the same). Each VMRUN must end in VMEXIT_INVALID, another
 * #VMEXIT, or a clean model error (cycle limit, triple fault, a paging
 * state the engine refuses) — never a crash, a hang or a sanitizer report.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "emu/emu.h"
#include "guest_util.h"
#include "x86/cpu.h"
#include "x86/svm.h"

#define ROUNDS 300

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t next(void)
{
	/* xorshift64*: deterministic, good enough to scatter bits. */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dull;
}

static struct {
	unsigned round;
	uint64_t exit_code;
	unsigned invalid, exits;
} st;

extern const uint8_t t64_nops[], t64_nops_end[];

/*
 * Start from a valid long-mode guest and scramble a random subset of the
 * save area and control fields, sometimes within their legal ranges and
 * sometimes not, so both the consistency checks and the engine see
 * hostile state.
 */
static void scramble(struct tguest *g)
{
	uint8_t *save = (uint8_t *)&g->vmcb->save;
	uint8_t *ctl = (uint8_t *)&g->vmcb->control;
	unsigned n = 1 + (unsigned)(next() % 12);

	for (unsigned i = 0; i < n; i++) {
		uint64_t r = next(), v = next();

		switch (r % 4) {
		case 0: /* a byte anywhere in the save area */
			save[(r >> 8) % sizeof(struct vmcb_save_area)] = (uint8_t)v;
			break;
		case 1: /* a segment's attributes, limit or base */
			memcpy(save + 16 * ((r >> 8) % 10) + 2 + 2 * ((r >> 16) % 3), &v, 2);
			break;
		case 2: /* control fields the model reads */
			memcpy(ctl + 8 * ((r >> 8) % 0x28), &v, (r >> 16) % 2 ? 8 : 4);
			break;
		default: /* RIP, RSP, RFLAGS, CR0/3/4, EFER */
			switch ((r >> 8) % 7) {
			case 0: g->vmcb->save.rip = v; break;
			case 1: g->vmcb->save.rsp = v; break;
			case 2: g->vmcb->save.rflags = v; break;
			case 3: g->vmcb->save.cr0 ^= 1ull << (v % 64); break;
			case 4: g->vmcb->save.cr3 = v & 0xffffffffff000ull; break;
			case 5: g->vmcb->save.cr4 ^= 1ull << (v % 32); break;
			default: g->vmcb->save.efer ^= 1ull << (v % 16); break;
			}
		}
	}
	/* Keep VMRUN itself on its feet (its own faults are tested elsewhere). */
	g->vmcb->control.intercepts[VMCB_INTERCEPT_MISC2] |= INTERCEPT_VMRUN;
}

static void one_round(void *arg)
{
	struct tguest g;

	(void)arg;
	tg_svm_on();
	tg_long(&g, t64_nops, (size_t)(t64_nops_end - t64_nops));
	scramble(&g);
	if (tg_run(&g) != ARCH_OK)
		return;
	st.exit_code = g.vmcb->control.exit_code;
	if (st.exit_code == SVM_EXIT_ERR)
		st.invalid++;
	else
		st.exits++;
}

static void test_random_vmcbs(void **state)
{
	struct emu_config cfg;
	unsigned errors = 0;
	char err[256];

	(void)state;
	emu_config_default(&cfg);
	cfg.max_cycles = 200000; /* a scrambled guest may loop: end it quickly */
	for (st.round = 0; st.round < ROUNDS; st.round++) {
		struct emu_machine *m = emu_machine_create(&cfg, err, sizeof(err));

		assert_non_null(m);
		if (emu_machine_run(m, one_round, NULL) != 0) {
			/* A clean, explained stop: the message must say something. */
			assert_true(strlen(emu_machine_error(m)) > 10);
			errors++;
		}
		emu_machine_destroy(m);
	}
	print_message("%u rounds: %u VMEXIT_INVALID, %u other exits, %u model errors\n", ROUNDS,
		      st.invalid, st.exits, errors);
	/* The scrambling must reach both the checks and the engine. */
	assert_true(st.invalid > 0);
	assert_true(st.exits + errors > 0);
	assert_int_equal(st.invalid + st.exits + errors, ROUNDS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_vmcbs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
