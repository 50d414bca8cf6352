/* SPDX-License-Identifier: MIT */
/*
 * Encodings Unicorn cannot translate. Unicorn 2.1.1's translator aborts the
 * whole process ("tcg fatal error") on LOCK BT, BTS, BTR and BTC with a
 * register destination (0F A3/AB/B3/BB and 0F BA /4-/7 with mod = 3): it
 * builds an atomic access from a memory address the register form never
 * computed. The architecture says #UD (APM vol. 3 §1.2.5: LOCK only with a
 * memory destination). The translator stops before any exit address, so
 * the engine looks for these encodings on every page it is about to
 * translate code from — every instruction fetch fills the TLB through the
 * engine (vtlb.c) — and arms an exit at each place one could start; the
 * model raises #UD when a run stops there.
 */
#include <string.h>

#include "emu_internal.h"

#define MAX_INSN 15

static bool legacy_prefix(uint8_t b)
{
	switch (b) {
	case 0x26: case 0x2e: case 0x36: case 0x3e: case 0x64: case 0x65:
	case 0x66: case 0x67: case 0xf0: case 0xf2: case 0xf3:
		return true;
	default:
		return false;
	}
}

static bool untranslatable(uint8_t op, uint8_t modrm)
{
	if (modrm < 0xc0)
		return false;
	return op == 0xa3 || op == 0xab || op == 0xb3 || op == 0xbb ||
	       (op == 0xba && ((modrm >> 3) & 7) >= 4);
}

static int add_exit(struct emu_cpu *cpu, uint64_t la)
{
	uint32_t lo = 0, hi = cpu->nud_exits;

	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;

		if (cpu->ud_exits[mid] == la)
			return 0;
		if (cpu->ud_exits[mid] < la)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (cpu->nud_exits == EMU_UD_EXITS_MAX)
		emu_fatal(cpu, "more than %u places in the guest's code hold an encoding the engine "
			  "cannot translate (LOCK BT* with a register destination)",
			  EMU_UD_EXITS_MAX);
	memmove(&cpu->ud_exits[lo + 1], &cpu->ud_exits[lo],
		(cpu->nud_exits - lo) * sizeof(uint64_t));
	cpu->ud_exits[lo] = la;
	cpu->nud_exits++;
	return 1;
}

bool emu_scan_untranslatable(struct emu_cpu *cpu, uint64_t page_la, const uint8_t *page)
{
	/* The page, with what may precede it (an instruction's prefixes on the
	 * page before) and follow it (its opcode and ModRM on the next). */
	uint8_t buf[MAX_INSN + 4096 + 2];
	/* Outside 64-bit mode 40h-4Fh are INC and DEC: read them as prefixes
	 * anyway, for code that runs in another mode later; a start misread so
	 * is stepped over when reached (engine.c). */
	bool added = false;
	const uint8_t *end = buf + sizeof(buf) - 2, *q = buf + MAX_INSN;

	memset(buf, 0x90, sizeof(buf));
	emu_lin_peek(cpu, page_la - MAX_INSN, buf, MAX_INSN);
	memcpy(buf + MAX_INSN, page, 4096);
	emu_lin_peek(cpu, page_la + 4096, buf + MAX_INSN + 4096, 2);
	while ((q = memchr(q, 0x0f, (size_t)(end - q)))) {
		size_t i = (size_t)(q - buf), start = i, last_lock = 0;
		bool lock = false;

		q++;
		if (!untranslatable(buf[i + 1], buf[i + 2]))
			continue;
		while (start > 0 && i - (start - 1) < MAX_INSN &&
		       (legacy_prefix(buf[start - 1]) || (buf[start - 1] & 0xf0) == 0x40))
			start--;
		for (size_t k = start; k < i; k++) {
			if (buf[k] == 0xf0) {
				lock = true;
				last_lock = k;
			}
		}
		if (!lock)
			continue;
		/* An instruction starting anywhere up to the last LOCK is one of these. */
		for (size_t k = start; k <= last_lock; k++)
			added |= add_exit(cpu, page_la - MAX_INSN + k) > 0;
	}
	return added;
}

bool emu_ud_exit(const struct emu_cpu *cpu, uint64_t la)
{
	uint32_t lo = 0, hi = cpu->nud_exits;

	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;

		if (cpu->ud_exits[mid] == la)
			return true;
		if (cpu->ud_exits[mid] < la)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

bool emu_untranslatable_at(struct emu_cpu *cpu, uint64_t la)
{
	uint8_t b[MAX_INSN + 2];
	size_t n = emu_lin_peek(cpu, la, b, sizeof(b)), i = 0;
	bool lock = false, rex_ok = emu_decode_mode(cpu) == 64;

	while (i < n && (legacy_prefix(b[i]) || (rex_ok && (b[i] & 0xf0) == 0x40))) {
		lock |= b[i] == 0xf0;
		i++;
	}
	return lock && i + 2 < n && i < MAX_INSN && b[i] == 0x0f && untranslatable(b[i + 1], b[i + 2]);
}
