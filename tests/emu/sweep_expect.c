/* SPDX-License-Identifier: MIT */
/*
 * The rules the sweep holds every encoding to, from the manuals and the
 * bytes alone. An encoding's bytes are read as a processor reads them:
 * legacy prefixes (and REX in 64-bit mode), then the opcode in its map,
 * then the ModRM byte.
 */
#include <stdbool.h>
#include <stdio.h>

#include "sweep_expect.h"
#include "x86/cpu.h"
#include "x86/svm.h"

struct decoded {
	bool lock;
	int map;         /* 1: one byte, 2: 0F, 3: 0F 38 or 0F 3A */
	uint8_t op, modrm; /* modrm: the byte after the opcode, whatever it is */
};

static bool legacy_prefix(uint8_t b)
{
	return b == 0x66 || b == 0x67 || b == 0xf0 || b == 0xf2 || b == 0xf3 || b == 0x26 ||
	       b == 0x2e || b == 0x36 || b == 0x3e || b == 0x64 || b == 0x65;
}

static struct decoded decode(enum sweep_mode m, const uint8_t *b)
{
	struct decoded d = { false, 1, 0, 0 };
	size_t i = 0;

	/* Fifteen bytes at most make an instruction; the window holds more. */
	while (i < 15 && (legacy_prefix(b[i]) || (m == SWEEP_LONG && b[i] >= 0x40 && b[i] <= 0x4f))) {
		d.lock |= b[i] == 0xf0;
		i++;
	}
	if (b[i] == 0x0f) {
		i++;
		d.map = 2;
		if (b[i] == 0x38 || b[i] == 0x3a) {
			i++;
			d.map = 3;
		}
	}
	d.op = b[i];
	d.modrm = b[i + 1];
	return d;
}

static unsigned mod_of(uint8_t modrm)
{
	return modrm >> 6;
}

static unsigned reg_of(uint8_t modrm)
{
	return (modrm >> 3) & 7;
}

/*
 * APM vol. 3 §1.2.5: LOCK is allowed only on ADC, ADD, AND, BTC, BTR, BTS,
 * CMPXCHG, CMPXCHG8B/16B, DEC, INC, NEG, NOT, OR, SBB, SUB, XADD, XCHG and
 * XOR, in their forms that write a memory operand; anything else is #UD.
 * AMD's LOCK MOV CR0 (CR8 outside 64-bit mode) needs CPUID
 * Fn8000_0001 ECX[4] (AltMovCr8), which the model does not report.
 */
static bool lockable(enum sweep_mode m, const struct decoded *d)
{
	unsigned reg = reg_of(d->modrm);

	if (mod_of(d->modrm) == 3)
		return false;
	if (d->map == 1) {
		if (d->op < 0x40 && (d->op & 7) <= 1)
			return (d->op >> 3) != 7; /* ALU r/m, r; not CMP */
		switch (d->op) {
		case 0x82:
			return m != SWEEP_LONG && reg != 7;
		case 0x80: case 0x81: case 0x83:
			return reg != 7;
		case 0x86: case 0x87:
			return true;
		case 0xf6: case 0xf7:
			return reg == 2 || reg == 3;
		case 0xfe: case 0xff:
			return reg <= 1;
		default:
			return false;
		}
	}
	if (d->map == 2) {
		switch (d->op) {
		case 0xab: case 0xb3: case 0xbb: case 0xb0: case 0xb1: case 0xc0: case 0xc1:
			return true;
		case 0xba:
			return reg >= 5;
		case 0xc7:
			return reg == 1;
		default:
			return false;
		}
	}
	return false;
}

/* Exit codes of APM vol. 2 appendix C that a valid VMCB's guest can cause. */
static bool defined_exit(uint64_t code)
{
	return code <= 0xa6 || (code >= SVM_EXIT_NPF && code <= SVM_EXIT_VMGEXIT);
}

/*
 * Exits at an instruction boundary that the instruction does not name:
 * events, and the traps that report the instruction after the one that
 * caused them (EFER and CRn write traps).
 */
static bool boundary_exit(uint64_t code)
{
	return (code >= SVM_EXIT_INTR && code <= SVM_EXIT_VINTR) || code == SVM_EXIT_SHUTDOWN ||
	       (code >= SVM_EXIT_EFER_WRITE_TRAP && code <= 0x9f);
}

/* MOV SS and POP SS hold the single-step trap for one more instruction. */
static bool shadows(enum sweep_mode m, const struct decoded *d)
{
	return d->map == 1 && ((d->op == 0x8e && reg_of(d->modrm) == 2) ||
			       (d->op == 0x17 && m != SWEEP_LONG));
}

const char *sweep_rule_name(enum sweep_rule rule)
{
	static const char *const names[SWEEP_RULES] = {
		"exit code", "rip", "far branch through a register", "lock", "int n",
	};

	return rule < SWEEP_RULES ? names[rule] : "none";
}

enum sweep_rule sweep_expect(enum sweep_mode m, const uint8_t b[SWEEP_WINDOW],
			     const struct sweep_result *r, char *why, size_t len)
{
	struct decoded d;
	bool ud = r->exit_code == SVM_EXIT_EXCP_BASE + X86_VEC_UD;

	if (r->kind == SWEEP_MODEL_ERROR)
		return SWEEP_RULES;
	d = decode(m, b);
	if (!defined_exit(r->exit_code)) {
		snprintf(why, len, "exit code %#llx", (unsigned long long)r->exit_code);
		return RULE_EXIT_CODE;
	}
	/* #UD comes before intercepts and other exceptions (APM vol. 2 §15.9). */
	if (d.lock && !lockable(m, &d) && !ud) {
		snprintf(why, len, "exit %#llx, not #UD", (unsigned long long)r->exit_code);
		return RULE_LOCK;
	}
	/* APM vol. 3 "CALL (Far)", "JMP (Far)": #UD when the operand is a register. */
	if (d.map == 1 && d.op == 0xff && mod_of(d.modrm) == 3 &&
	    (reg_of(d.modrm) == 3 || reg_of(d.modrm) == 5) && !ud) {
		snprintf(why, len, "exit %#llx, not #UD", (unsigned long long)r->exit_code);
		return RULE_FAR_REG;
	}
	/* The INTn intercept (APM vol. 2 §15.9), the vector imm8 in EXITINFO1 (§15.8.2). */
	if (d.map == 1 && d.op == 0xcd && !d.lock &&
	    (r->exit_code != SVM_EXIT_SWINT || r->info1 != d.modrm)) {
		snprintf(why, len, "exit %#llx info1 %#llx, not SWINT with %#x",
			 (unsigned long long)r->exit_code, (unsigned long long)r->info1, d.modrm);
		return RULE_INTN;
	}
	/*
	 * Intercepts are taken before the instruction runs (APM vol. 2 §15.9)
	 * and exception intercepts report the instruction that raised it,
	 * INT3 included (§15.12): RIP is its first byte, prefixes and all.
	 */
	if (r->kind != SWEEP_RETIRED && !boundary_exit(r->exit_code) && !shadows(m, &d) &&
	    r->rip != r->start_rip) {
		snprintf(why, len, "exit %#llx at rip %#llx, the instruction is at %#llx",
			 (unsigned long long)r->exit_code, (unsigned long long)r->rip,
			 (unsigned long long)r->start_rip);
		return RULE_RIP;
	}
	return SWEEP_RULES;
}
