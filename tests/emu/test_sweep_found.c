/* SPDX-License-Identifier: MIT */
/*
 * Encodings the opcode sweep (test_opcode_sweep.c) found killing the run
 * or ending wrongly, and the class the sweep was built for, each run in
 * all three modes on the sweep's guest (every intercept on, RFLAGS.TF
 * set) in a child process, so that one that kills the process fails its
 * own case. Expect, for each: the exit named, with RIP at the instruction.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "emu/emu.h"
#include "guest_util.h"
#include "sweep.h"
#include "x86/cpu.h"
#include "x86/svm.h"

#define ANY_INFO (-1)

struct found {
	uint8_t bytes[8];
	uint8_t len;
	uint64_t exit_code;
	int64_t info1;     /* EXITINFO1, or ANY_INFO */
};

#define UD(...) { { __VA_ARGS__ }, sizeof((uint8_t[]){ __VA_ARGS__ }), \
		  SVM_EXIT_EXCP_BASE + X86_VEC_UD, ANY_INFO }
#define SWINT(n, ...) { { __VA_ARGS__ }, sizeof((uint8_t[]){ __VA_ARGS__ }), SVM_EXIT_SWINT, n }
#define BP(...) { { __VA_ARGS__ }, sizeof((uint8_t[]){ __VA_ARGS__ }), \
		  SVM_EXIT_EXCP_BASE + X86_VEC_BP, ANY_INFO }

/* What a case ended in, in memory shared with the child that ran it. */
struct outcome {
	bool ran;
	struct sweep_result r;
	char how[160];     /* the model's error, or how the child died */
};

struct run {
	enum sweep_mode mode;
	const struct found *cases;
	struct outcome out[64];
};

static struct run *cur;

static size_t case_encode(uint64_t idx, uint8_t out[SWEEP_WINDOW])
{
	const struct found *f = &cur->cases[idx];

	memset(out, SWEEP_FILL, SWEEP_WINDOW);
	memcpy(out, f->bytes, f->len);
	return f->len;
}

static void case_visit(void *user, uint64_t idx, const struct sweep_result *r)
{
	struct run *run = user;
	struct outcome *o = &run->out[idx];

	o->ran = true;
	o->r = *r;
	o->r.error = NULL;
	if (r->error)
		snprintf(o->how, sizeof(o->how), "model error: %s", r->error);
}

static int body(void *user, uint64_t to, volatile uint64_t *next)
{
	struct run *run = user;
	struct sweep_plan p = { run->mode, case_encode, case_visit, run };
	struct outcome *o;

	cur = run;
	o = &run->out[*next];
	if (sweep_range(&p, next, to, o->how, sizeof(o->how)) != 0)
		return SWEEP_GAVE_UP;
	return 0;
}

static void died(void *user, uint64_t idx, const char *how)
{
	struct run *run = user;

	snprintf(run->out[idx].how, sizeof(run->out[idx].how), "%s", how);
}

static bool as_expected(const struct found *f, const struct outcome *o)
{
	return o->ran && o->r.kind != SWEEP_MODEL_ERROR && o->r.exit_code == f->exit_code &&
	       (f->info1 == ANY_INFO || o->r.info1 == (uint64_t)f->info1) &&
	       o->r.rip == o->r.start_rip;
}

static void check(const struct found *cases, size_t n)
{
	unsigned wrong = 0;

	assert_true(n <= sizeof(((struct run *)0)->out) / sizeof(struct outcome));
	for (int m = 0; m < SWEEP_MODES; m++) {
		struct run *run = sweep_shared_alloc(sizeof(*run));
		void *const user[1] = { run };

		assert_non_null(run);
		memset(run, 0, sizeof(*run));
		run->mode = (enum sweep_mode)m;
		run->cases = cases;
		sweep_isolated(1, 0, n, body, died, user);
		for (size_t i = 0; i < n; i++) {
			const struct outcome *o = &run->out[i];
			char bytes[32] = "";

			if (as_expected(&cases[i], o))
				continue;
			wrong++;
			for (size_t k = 0; k < cases[i].len; k++)
				snprintf(bytes + 3 * k, sizeof(bytes) - 3 * k, "%02x ", cases[i].bytes[k]);
			if (o->how[0] || !o->ran)
				print_error("%s: %s: %s, expected exit %#llx\n", sweep_mode_name(run->mode),
					    bytes, o->how[0] ? o->how : "did not run",
					    (unsigned long long)cases[i].exit_code);
			else
				print_error("%s: %s: exit %#llx info1 %#llx rip %#llx, expected exit "
					    "%#llx info1 %lld rip %#llx\n",
					    sweep_mode_name(run->mode), bytes,
					    (unsigned long long)o->r.exit_code,
					    (unsigned long long)o->r.info1,
					    (unsigned long long)o->r.rip,
					    (unsigned long long)cases[i].exit_code,
					    (long long)cases[i].info1,
					    (unsigned long long)o->r.start_rip);
		}
		sweep_shared_free(run, sizeof(*run));
	}
	assert_int_equal(wrong, 0);
}

#define CHECK(cases) check(cases, sizeof(cases) / sizeof(cases[0]))

/*
 * FF /3 and FF /5 with a register operand (APM vol. 3 "CALL (Far)",
 * "JMP (Far)"), LOCK CMP and CMPS (§1.2.5): the class that made Unicorn
 * 2.0.1's translator abort the process. Expect: #UD.
 */
static const struct found far_and_lock_cmp[] = {
	UD(0xff, 0xd9), UD(0xff, 0xe9), UD(0xff, 0xd8), UD(0xff, 0xef),
	UD(0xf0, 0x39, 0x3b), UD(0xf0, 0x38, 0xc0), UD(0xf0, 0x3b, 0x03), UD(0xf0, 0x3c, 0x08),
	UD(0xf0, 0xa6), UD(0xf0, 0xa7),
};

static void test_far_branch_and_lock_cmp(void **state)
{
	(void)state;
	CHECK(far_and_lock_cmp);
}

/*
 * LOCK BT, BTS, BTR and BTC with a register destination (APM vol. 3
 * §1.2.5: LOCK only with a memory destination). Found: "tcg fatal error",
 * the process aborts, in real and 32-bit protected mode; in 64-bit mode
 * they run as if unlocked. Expect: #UD.
 */
static const struct found lock_bt_register[] = {
	UD(0xf0, 0x0f, 0xa3, 0xc0), UD(0xf0, 0x0f, 0xab, 0xc8), UD(0xf0, 0x0f, 0xb3, 0xd0),
	UD(0xf0, 0x0f, 0xbb, 0xd8), UD(0xf0, 0x0f, 0xba, 0xe0, 0x08),
	UD(0xf0, 0x0f, 0xba, 0xe8, 0x08), UD(0xf0, 0x0f, 0xba, 0xf0, 0x08),
	UD(0xf0, 0x0f, 0xba, 0xf8, 0x08), UD(0xf0, 0x66, 0x0f, 0xa3, 0xc0),
};

static void test_lock_bt_register(void **state)
{
	(void)state;
	CHECK(lock_bt_register);
}

/*
 * LOCK before an instruction the model must see first (CPUID, RDTSC,
 * RDMSR, WRMSR, MOV CRn/DRn, HLT, IN, VMMCALL, ...). Found: the model's
 * decoder does not take the locked form for the instruction, so it runs in
 * the engine past its intercept, or (HLT) ends the run with "engine stopped
 * without a cause". Expect: #UD (APM vol. 3 §1.2.5; no CR8 alias, which
 * needs CPUID Fn8000_0001 ECX[4]).
 */
static const struct found lock_trapped[] = {
	UD(0xf0, 0x0f, 0xa2), UD(0xf0, 0x0f, 0x31), UD(0xf0, 0x0f, 0x32), UD(0xf0, 0x0f, 0x30),
	UD(0xf0, 0x0f, 0x22, 0xc0), UD(0xf0, 0x0f, 0x20, 0xc0), UD(0xf0, 0x0f, 0x23, 0xf8),
	UD(0xf0, 0x0f, 0x21, 0xf8), UD(0xf0, 0xf4), UD(0xf0, 0xe4, 0x08), UD(0xf0, 0xec),
	UD(0xf0, 0x0f, 0x01, 0xd9), UD(0xf0, 0x0f, 0x01, 0xf9), UD(0xf0, 0xf3, 0x90),
	UD(0xf0, 0x9d), UD(0xf0, 0xcf), UD(0xf0, 0xfb),
};

static void test_lock_trapped(void **state)
{
	(void)state;
	CHECK(lock_trapped);
}

/*
 * LOCK before instructions that write no memory or are not on the list
 * (APM vol. 3 §1.2.5). Found: they run as if unlocked. Expect: #UD.
 */
static const struct found lock_not_lockable[] = {
	UD(0xf0, 0x89, 0x03), UD(0xf0, 0x8b, 0x03), UD(0xf0, 0xc6, 0x00, 0x08), UD(0xf0, 0x90),
	UD(0xf0, 0x01, 0xc0), UD(0xf0, 0x03, 0x03), UD(0xf0, 0xf7, 0x00), UD(0xf0, 0xff, 0x10),
	UD(0xf0, 0x0f, 0xb6, 0x03), UD(0xf0, 0x0f, 0xc7, 0xf0),
};

static void test_lock_not_lockable(void **state)
{
	(void)state;
	CHECK(lock_not_lockable);
}

/*
 * INT n with the INTn intercept on (APM vol. 2 §15.9) exits with the
 * vector in EXITINFO1 (§15.8.2) for every n, RIP at the instruction; a
 * prefixed INT3 is still #BP at its first byte. Found: INT n below 32
 * exits as exception n (INT 6 as #UD), and a prefixed INT3 or INT n
 * reports RIP inside the instruction.
 */
static const struct found int_n[] = {
	SWINT(0x00, 0xcd, 0x00), SWINT(0x03, 0xcd, 0x03), SWINT(0x06, 0xcd, 0x06),
	SWINT(0x08, 0xcd, 0x08), SWINT(0x0e, 0xcd, 0x0e), SWINT(0x1f, 0xcd, 0x1f),
	SWINT(0x80, 0x66, 0xcd, 0x80), SWINT(0x80, 0x2e, 0xcd, 0x80),
	BP(0x2e, 0xcc), BP(0xf3, 0xcc),
};

static void test_int_n(void **state)
{
	(void)state;
	CHECK(int_n);
}

/*
 * MOV DR7 that enables a breakpoint, with the DR7 write intercept clear
 * (tg_long() and the others intercept only VMRUN and VMMCALL), then
 * VMMCALL. Found: the process dies (SIGSEGV in the engine's translated
 * code) in all three modes. The sweep's register values enable no
 * breakpoint; a LOCK-prefixed MOV DR, which runs past the intercept, would
 * do the same with an SP that held enable bits. Expect: #VMEXIT(VMMCALL)
 * with the value in the VMCB's DR7 (L0: a breakpoint at linear 0, which
 * the guest never reaches), or a model error that says why; never a dead
 * run.
 */
static const uint8_t mov_dr7_vmmcall[] = { 0x0f, 0x23, 0xf8, 0x0f, 0x01, 0xd9 };
#define DR7_L0 0x401ull

struct dr7_run {
	enum sweep_mode mode;
	int rc;
	uint64_t exit_code, dr7;
	char how[256];
};

static void dr7_guest(void *arg)
{
	struct dr7_run *d = arg;
	struct tguest g;

	tg_svm_on();
	if (d->mode == SWEEP_LONG)
		tg_long(&g, mov_dr7_vmmcall, sizeof(mov_dr7_vmmcall));
	else if (d->mode == SWEEP_PROT32)
		tg_prot32(&g, mov_dr7_vmmcall, sizeof(mov_dr7_vmmcall));
	else
		tg_real(&g, mov_dr7_vmmcall, sizeof(mov_dr7_vmmcall));
	g.vmcb->save.rax = DR7_L0;
	tg_run(&g);
	d->exit_code = g.vmcb->control.exit_code;
	d->dr7 = g.vmcb->save.dr7;
}

static int dr7_body(void *user, uint64_t to, volatile uint64_t *next)
{
	struct dr7_run *d = user;
	struct emu_config cfg;
	struct emu_machine *mach;

	(void)to;
	emu_config_default(&cfg);
	mach = emu_machine_create(&cfg, d->how, sizeof(d->how));
	if (!mach)
		return SWEEP_GAVE_UP;
	d->rc = emu_machine_run(mach, dr7_guest, d);
	snprintf(d->how, sizeof(d->how), "%s", emu_machine_error(mach));
	emu_machine_destroy(mach);
	++*next;
	return 0;
}

static void dr7_died(void *user, uint64_t idx, const char *how)
{
	struct dr7_run *d = user;

	(void)idx;
	d->rc = -2;
	snprintf(d->how, sizeof(d->how), "%s", how);
}

static void test_dr7_breakpoint(void **state)
{
	unsigned wrong = 0;

	(void)state;
	for (int m = 0; m < SWEEP_MODES; m++) {
		struct dr7_run *d = sweep_shared_alloc(sizeof(*d));
		void *const user[1] = { d };
		bool exited = false, refused = false;

		assert_non_null(d);
		memset(d, 0, sizeof(*d));
		d->mode = (enum sweep_mode)m;
		d->rc = -3;
		sweep_isolated(1, 0, 1, dr7_body, dr7_died, user);
		exited = d->rc == 0 && d->exit_code == SVM_EXIT_VMMCALL && d->dr7 == DR7_L0;
		refused = d->rc == -1 && d->how[0];
		if (!exited && !refused) {
			wrong++;
			print_error("%s: rc %d exit %#llx dr7 %#llx: %s\n", sweep_mode_name(d->mode),
				    d->rc, (unsigned long long)d->exit_code,
				    (unsigned long long)d->dr7, d->how[0] ? d->how : "no machine");
		}
		sweep_shared_free(d, sizeof(*d));
	}
	assert_int_equal(wrong, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_far_branch_and_lock_cmp),
		cmocka_unit_test(test_lock_bt_register),
		cmocka_unit_test(test_lock_trapped),
		cmocka_unit_test(test_lock_not_lockable),
		cmocka_unit_test(test_int_n),
		cmocka_unit_test(test_dr7_breakpoint),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
