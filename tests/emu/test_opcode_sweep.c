/* SPDX-License-Identifier: MIT */
/*
 * No guest encoding can kill, stall or mislead the run. Every one-byte
 * opcode and every 0F xx, 0F 38 xx and 0F 3A xx opcode, bare and after 66,
 * F2, F3, F0 (LOCK) and, in 64-bit mode, REX.W (48), each with all 256
 * ModRM bytes and SWEEP_FILL after them (sweep.c), runs as a guest's only
 * instruction in real mode, 32-bit protected mode and 64-bit mode:
 *
 *   real mode               5 forms x 4 maps x 256 x 256 = 1,310,720
 *   32-bit protected mode   5 forms x 4 maps x 256 x 256 = 1,310,720
 *   64-bit mode             6 forms x 4 maps x 256 x 256 = 1,572,864
 *
 * Each must end in a #VMEXIT with an exit code the APM defines (#UD, the
 * single-step #DB after it retired, another exception, an intercept) or in
 * a model error (a run the model ended with a message), never in an abort,
 * a crash, a stall or a sanitizer report; and a #VMEXIT must keep the
 * rules of sweep_expect.c: RIP at the instruction for a fault or an
 * intercept, #UD for LOCK on anything but a locked memory write and for
 * FF /3 and FF /5 with a register operand, #VMEXIT(SWINT) with the vector
 * for INT n. The sweep of a mode runs in child processes, two at a time
 * (sweep_isolated.c), so an encoding that kills one is named with its
 * bytes and the sweep goes on past it. Each mode ends with one line of
 * counts by outcome, and the model errors by message. A build may sweep
 * every VX_SWEEP_STRIDE-th encoding only (the sanitizer build does).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "sweep.h"
#include "sweep_expect.h"

#ifndef VX_SWEEP_STRIDE
#define VX_SWEEP_STRIDE 1
#endif
#define WORKERS 2
#define SAMPLES 4        /* encodings shown per rule and per worker */
#define DEATH_SAMPLES 8  /* encodings shown that killed a child, per worker */
#define ERROR_KINDS 4    /* distinct model error messages counted */

struct note {
	char text[200];
};

/* One worker's results, in memory shared with its child processes. */
struct tally {
	enum sweep_mode mode;
	uint64_t kinds[SWEEP_KINDS];
	uint64_t broken[SWEEP_RULES];
	uint64_t died;
	struct note rule_notes[SWEEP_RULES][SAMPLES];
	struct note death_notes[DEATH_SAMPLES];
	struct {
		char text[160];
		uint64_t count;
	} errors[ERROR_KINDS];
	uint64_t other_errors;
	char setup_error[256];
};

/* The encoding's bytes up to its ModRM byte, then what went wrong. */
static void __attribute__((format(printf, 3, 4)))
note(struct note *n, uint64_t idx, const char *fmt, ...)
{
	uint8_t b[SWEEP_WINDOW];
	size_t len = sweep_encode(idx * VX_SWEEP_STRIDE, b), at = 0;
	va_list ap;

	for (size_t i = 0; i < len; i++)
		at += (size_t)snprintf(n->text + at, sizeof(n->text) - at, "%02x ", b[i]);
	at += (size_t)snprintf(n->text + at, sizeof(n->text) - at, "(%02x...): ", SWEEP_FILL);
	va_start(ap, fmt);
	vsnprintf(n->text + at, sizeof(n->text) - at, fmt, ap);
	va_end(ap);
}

/* Model errors by message, addresses left out, into the first ERROR_KINDS kinds. */
static void count_error(struct tally *t, const char *key, uint64_t n)
{
	for (int i = 0; i < ERROR_KINDS; i++) {
		if (!t->errors[i].count)
			snprintf(t->errors[i].text, sizeof(t->errors[i].text), "%s", key);
		if (!strcmp(t->errors[i].text, key)) {
			t->errors[i].count += n;
			return;
		}
	}
	t->other_errors += n;
}

static void error_key(const char *msg, char *key, size_t len)
{
	size_t k = 0;

	for (const char *p = msg; *p && k + 1 < len; p++) {
		if (p[0] == '0' && p[1] == 'x') {
			while (p[1] && strchr("0123456789abcdefx", p[1]))
				p++;
			key[k++] = '#';
			continue;
		}
		key[k++] = *p;
	}
	key[k] = 0;
}

static void visit(void *user, uint64_t idx, const struct sweep_result *r)
{
	struct tally *t = user;
	uint8_t b[SWEEP_WINDOW];
	char why[160];
	enum sweep_rule rule;

	sweep_encode(idx * VX_SWEEP_STRIDE, b);
	rule = sweep_expect(t->mode, b, r, why, sizeof(why));
	t->kinds[r->kind]++;
	if (r->kind == SWEEP_MODEL_ERROR) {
		char key[sizeof(t->errors[0].text)];

		error_key(r->error, key, sizeof(key));
		count_error(t, key, 1);
	}
	if (rule == SWEEP_RULES)
		return;
	if (t->broken[rule] < SAMPLES)
		note(&t->rule_notes[rule][t->broken[rule]], idx, "%s", why);
	t->broken[rule]++;
}

static size_t strided_encode(uint64_t idx, uint8_t out[SWEEP_WINDOW])
{
	return sweep_encode(idx * VX_SWEEP_STRIDE, out);
}

/* Encodings swept in mode m. */
static uint64_t swept(enum sweep_mode m)
{
	return (sweep_count(m) + VX_SWEEP_STRIDE - 1) / VX_SWEEP_STRIDE;
}

static int body(void *user, uint64_t to, volatile uint64_t *next)
{
	struct tally *t = user;
	struct sweep_plan p = { t->mode, strided_encode, visit, t };

	if (sweep_range(&p, next, to, t->setup_error, sizeof(t->setup_error)))
		return SWEEP_GAVE_UP;
	return 0;
}

static void died(void *user, uint64_t idx, const char *how)
{
	struct tally *t = user;

	if (t->died < DEATH_SAMPLES)
		note(&t->death_notes[t->died], idx, "%s", how);
	t->died++;
}

static void show(const struct tally *t)
{
	const char *mode = sweep_mode_name(t->mode);

	if (t->setup_error[0])
		print_error("%s: %s\n", mode, t->setup_error);
	for (uint64_t i = 0; i < t->died && i < DEATH_SAMPLES; i++)
		print_error("%s: %s\n", mode, t->death_notes[i].text);
	for (int k = 0; k < SWEEP_RULES; k++) {
		for (uint64_t i = 0; i < t->broken[k] && i < SAMPLES; i++)
			print_error("%s: %s: %s\n", mode, sweep_rule_name((enum sweep_rule)k),
				    t->rule_notes[k][i].text);
	}
}

/* Adds worker tally w into sum. */
static void merge(struct tally *sum, const struct tally *w)
{
	for (int k = 0; k < SWEEP_KINDS; k++)
		sum->kinds[k] += w->kinds[k];
	for (int k = 0; k < SWEEP_RULES; k++)
		sum->broken[k] += w->broken[k];
	sum->died += w->died;
	for (int i = 0; i < ERROR_KINDS && w->errors[i].count; i++)
		count_error(sum, w->errors[i].text, w->errors[i].count);
	sum->other_errors += w->other_errors;
	if (w->setup_error[0])
		memcpy(sum->setup_error, w->setup_error, sizeof(sum->setup_error));
}

/* The one-line summary, counts by outcome, then the model errors by message. */
static void summarize(const struct tally *sum)
{
	char rules[256] = "";
	uint64_t total = sum->died;

	for (int k = 0; k < SWEEP_KINDS; k++)
		total += sum->kinds[k];
	for (int k = 0; k < SWEEP_RULES; k++) {
		size_t at = strlen(rules);

		if (sum->broken[k])
			snprintf(rules + at, sizeof(rules) - at, "%s%s %llu", at ? ", " : "; against the rules: ",
				 sweep_rule_name((enum sweep_rule)k), (unsigned long long)sum->broken[k]);
	}
	if (VX_SWEEP_STRIDE > 1)
		print_message("%s: every %dth encoding\n", sweep_mode_name(sum->mode), VX_SWEEP_STRIDE);
	print_message("%s: %llu encodings: #UD %llu, retired %llu, other exceptions %llu, "
		      "intercepts %llu, model errors %llu, killed or stalled %llu%s\n",
		      sweep_mode_name(sum->mode), (unsigned long long)total,
		      (unsigned long long)sum->kinds[SWEEP_UD],
		      (unsigned long long)sum->kinds[SWEEP_RETIRED],
		      (unsigned long long)sum->kinds[SWEEP_EXCEPTION],
		      (unsigned long long)sum->kinds[SWEEP_INTERCEPT],
		      (unsigned long long)sum->kinds[SWEEP_MODEL_ERROR], (unsigned long long)sum->died,
		      rules);
	for (int i = 0; i < ERROR_KINDS && sum->errors[i].count; i++)
		print_message("  model error x%llu: %s\n", (unsigned long long)sum->errors[i].count,
			      sum->errors[i].text);
	if (sum->other_errors)
		print_message("  model errors with other messages: %llu\n",
			      (unsigned long long)sum->other_errors);
}

static void sweep_mode(enum sweep_mode m)
{
	struct tally *t[WORKERS], sum;
	uint64_t visited = 0, broken = 0;

	memset(&sum, 0, sizeof(sum));
	sum.mode = m;
	for (unsigned w = 0; w < WORKERS; w++) {
		t[w] = sweep_shared_alloc(sizeof(struct tally));
		assert_non_null(t[w]);
		memset(t[w], 0, sizeof(struct tally));
		t[w]->mode = m;
	}
	sweep_isolated(WORKERS, 0, swept(m), body, died, (void *const *)t);
	for (unsigned w = 0; w < WORKERS; w++) {
		show(t[w]);
		merge(&sum, t[w]);
		sweep_shared_free(t[w], sizeof(struct tally));
	}
	summarize(&sum);
	for (int k = 0; k < SWEEP_KINDS; k++)
		visited += sum.kinds[k];
	for (int k = 0; k < SWEEP_RULES; k++)
		broken += sum.broken[k];
	assert_string_equal(sum.setup_error, "");
	assert_int_equal(sum.died, 0);
	assert_int_equal(broken, 0);
	assert_int_equal(visited, swept(m));
}

/*
 * Each encoding of a batch runs its own bytes, not those of the encoding
 * before it: each instruction's exit (APM vol. 2 appendix C) differs from
 * the one before, so code run twice or left stale shows.
 */
static const struct {
	uint8_t bytes[3];
	uint8_t len;
	uint64_t exit_code;
} mix[] = {
	{ { 0x0f, 0x01, 0xd9 }, 3, 0x81 }, /* VMMCALL: #VMEXIT(VMMCALL) */
	{ { 0x0f, 0xa2 }, 2, 0x72 },       /* CPUID: #VMEXIT(CPUID) */
	{ { 0xf4 }, 1, 0x78 },             /* HLT: #VMEXIT(HLT) */
	{ { 0x0f, 0x0b }, 2, 0x46 },       /* UD2: #VMEXIT(#UD) */
	{ { 0x90 }, 1, 0x41 },             /* NOP, then the single-step #DB */
};
#define NMIX (sizeof(mix) / sizeof(mix[0]))
#define MIX_RUNS (3 * NMIX)

static uint64_t mix_exits[MIX_RUNS];

static size_t mix_encode(uint64_t idx, uint8_t out[SWEEP_WINDOW])
{
	size_t i = idx % NMIX;

	memset(out, 0x90, SWEEP_WINDOW);
	memcpy(out, mix[i].bytes, mix[i].len);
	return mix[i].len;
}

static void mix_visit(void *user, uint64_t idx, const struct sweep_result *r)
{
	(void)user;
	mix_exits[idx] = r->kind == SWEEP_MODEL_ERROR ? ~0ull : r->exit_code;
}

static void test_each_encoding_runs_its_bytes(void **state)
{
	char err[256];

	(void)state;
	for (int m = 0; m < SWEEP_MODES; m++) {
		struct sweep_plan p = { (enum sweep_mode)m, mix_encode, mix_visit, NULL };
		volatile uint64_t next = 0;

		memset(mix_exits, 0, sizeof(mix_exits));
		assert_int_equal(sweep_range(&p, &next, MIX_RUNS, err, sizeof(err)), 0);
		for (size_t i = 0; i < MIX_RUNS; i++)
			assert_int_equal(mix_exits[i], mix[i % NMIX].exit_code);
	}
}

static void test_sweep_real(void **state)
{
	(void)state;
	sweep_mode(SWEEP_REAL);
}

static void test_sweep_prot32(void **state)
{
	(void)state;
	sweep_mode(SWEEP_PROT32);
}

static void test_sweep_long(void **state)
{
	(void)state;
	sweep_mode(SWEEP_LONG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_encoding_runs_its_bytes),
		cmocka_unit_test(test_sweep_real),
		cmocka_unit_test(test_sweep_prot32),
		cmocka_unit_test(test_sweep_long),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
