/* SPDX-License-Identifier: MIT */
/*
 * A decoder for the MOV forms software uses on memory-mapped registers
 * (see insn.h), and the address of their memory operand. Encodings from
 * APM vol. 3 chapter 1 ("Instruction Encoding": legacy prefixes §1.2, REX
 * §1.2.7, ModRM and SIB §1.4, RIP-relative addressing §1.7) and the MOV
 * entry of chapter 3; operand and address sizes from tables 1-3 and 1-4.
 * The operand's segment (§1.2.4, SDM vol. 2 §2.1.1 and table 3-5): the
 * last segment override prefix, else SS for an rSP or rBP base, else DS.
 */
#include "insn.h"
#include "x86/cpu.h"

#define REX_W 0x8u
#define REX_R 0x4u
#define REX_X 0x2u
#define REX_B 0x1u
#define GPR_RSP 4
#define GPR_RBP 5
#define GPR_RSI 6
#define GPR_RDI 7
#define GPR_RBX 3
/* No segment override prefix: the operand's default segment applies. */
#define SEG_DEFAULT 0xffu

static uint64_t get_le(const uint8_t *p, unsigned bytes)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < bytes; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static uint64_t sign_extend(uint64_t v, unsigned bytes)
{
	unsigned shift = 64 - 8 * bytes;

	return bytes >= 8 ? v : (uint64_t)((int64_t)(v << shift) >> shift);
}

unsigned hv_insn_mode(const struct hv_insn_state *st)
{
	if ((st->efer & X86_EFER_LMA) && (st->cs_attrib & X86_SEG_L))
		return 64;
	return (st->cs_attrib & X86_SEG_DB) ? 32 : 16;
}

/* 16-bit addressing (table 1-11): rm 0-7 are BX+SI, BX+DI, BP+SI, BP+DI, SI, DI, BP, BX. */
static const int8_t rm16_base[8] = { GPR_RBX, GPR_RBX, GPR_RBP, GPR_RBP,
				     GPR_RSI, GPR_RDI, GPR_RBP, GPR_RBX };
static const int8_t rm16_index[8] = { GPR_RSI, GPR_RDI, GPR_RSI, GPR_RDI,
				      HV_INSN_NO_REG, HV_INSN_NO_REG, HV_INSN_NO_REG,
				      HV_INSN_NO_REG };

/*
 * The ModRM byte at b[*i] and what follows it (SIB, displacement), for a
 * memory operand: fills the operand of out but its segment, sets
 * *ss_default when the base register makes SS the default segment,
 * advances *i past them and returns the reg field, or -1 when the operand
 * is a register or the bytes run out.
 */
static int modrm(const uint8_t *b, size_t limit, size_t *i, unsigned rex, bool mode64,
		 struct hv_insn *out, bool *ss_default)
{
	unsigned m, mod, rm, disp = 0;

	if (*i >= limit)
		return -1;
	m = b[(*i)++];
	mod = m >> 6;
	rm = m & 7u;
	if (mod == 3)
		return -1;
	out->index = HV_INSN_NO_REG;
	out->scale = 1;
	if (out->addr_size == 2) {
		/* rm 110 with mod 00 is disp16 alone. */
		out->base = (mod == 0 && rm == 6) ? HV_INSN_NO_REG : rm16_base[rm];
		out->index = rm16_index[rm];
		*ss_default = out->base == GPR_RBP;
		if (mod == 1)
			disp = 1;
		else if (mod == 2 || (mod == 0 && rm == 6))
			disp = 2;
	} else {
		out->base = (int8_t)(rm | ((rex & REX_B) ? 8u : 0u));
		if (rm == 4) {
			unsigned sib, index;

			if (*i >= limit)
				return -1;
			sib = b[(*i)++];
			out->scale = (uint8_t)(1u << (sib >> 6));
			index = ((sib >> 3) & 7u) | ((rex & REX_X) ? 8u : 0u);
			/* Index 100 without REX.X: no index. */
			out->index = index == 4 ? HV_INSN_NO_REG : (int8_t)index;
			out->base = (int8_t)((sib & 7u) | ((rex & REX_B) ? 8u : 0u));
			/* SIB base 101 with mod 00: no base, disp32. */
			if (mod == 0 && (sib & 7u) == 5) {
				out->base = HV_INSN_NO_REG;
				disp = 4;
			}
		} else if (mod == 0 && rm == 5) {
			/* disp32: RIP-relative in 64-bit mode, absolute otherwise (§1.7). */
			out->base = mode64 ? HV_INSN_RIP : HV_INSN_NO_REG;
			disp = 4;
		}
		/* rSP or rBP as base, SIB included; not r12/r13 (REX.B), not "no base". */
		*ss_default = out->base == GPR_RSP || out->base == GPR_RBP;
		if (mod == 1)
			disp = 1;
		else if (mod == 2)
			disp = 4;
	}
	if (*i + disp > limit)
		return -1;
	out->disp = disp ? sign_extend(get_le(b + *i, disp), disp) : 0;
	*i += disp;
	return (int)((m >> 3) & 7u);
}

int hv_insn_decode(const uint8_t *b, size_t n, unsigned mode, struct hv_insn *out)
{
	size_t limit = n < HV_INSN_MAX ? n : HV_INSN_MAX, i = 0;
	bool opsize = false, adsize = false;
	unsigned rex = 0, op, seg = SEG_DEFAULT;
	bool ss_default = false;
	int reg = 0;

	for (;; i++) {
		if (i >= limit)
			return -1;
		switch (b[i]) {
		case 0x66:
			opsize = true;
			rex = 0;
			continue;
		case 0x67:
			adsize = true;
			rex = 0;
			continue;
		case 0x26: case 0x2e: case 0x36: case 0x3e:
			/*
			 * 64-bit mode ignores these overrides (§1.2.4): they
			 * neither name a base nor displace an FS or GS prefix.
			 * Elsewhere the last segment prefix wins.
			 */
			if (mode != 64)
				seg = b[i] == 0x26 ? HV_SEG_ES : b[i] == 0x2e ? HV_SEG_CS :
				      b[i] == 0x36 ? HV_SEG_SS : HV_SEG_DS;
			rex = 0;
			continue;
		case 0x64: case 0x65:
			seg = b[i] == 0x64 ? HV_SEG_FS : HV_SEG_GS;
			rex = 0;
			continue;
		case 0xf0: case 0xf2: case 0xf3:
			/* LOCK MOV is #UD; REP/REPNE and their hint forms are not decoded. */
			return -1;
		}
		/* REX counts only as the last prefix before the opcode (§1.2.7). */
		if (mode == 64 && (b[i] & 0xf0u) == 0x40u) {
			rex = b[i];
			continue;
		}
		break;
	}
	op = b[i++];
	if (mode == 64) {
		out->addr_size = adsize ? 4 : 8;
		out->size = (rex & REX_W) ? 8 : opsize ? 2 : 4;
	} else if (mode == 32) {
		out->addr_size = adsize ? 2 : 4;
		out->size = opsize ? 2 : 4;
	} else {
		out->addr_size = adsize ? 4 : 2;
		out->size = opsize ? 4 : 2;
	}
	out->has_imm = false;
	out->imm = 0;
	switch (op) {
	case 0x89: /* MOV r/m, reg */
	case 0x8b: /* MOV reg, r/m */
		reg = modrm(b, limit, &i, rex, mode == 64, out, &ss_default);
		if (reg < 0)
			return -1;
		reg |= (rex & REX_R) ? 8 : 0;
		out->write = op == 0x89;
		break;
	case 0xc7: /* MOV r/m, imm: /0 only */
		if (modrm(b, limit, &i, rex, mode == 64, out, &ss_default) != 0)
			return -1;
		{
			unsigned isz = out->size == 2 ? 2 : 4;

			if (i + isz > limit)
				return -1;
			/* imm32 is sign-extended to a 64-bit operand. */
			out->imm = get_le(b + i, isz);
			if (out->size == 8)
				out->imm = sign_extend(out->imm, 4);
			i += isz;
		}
		out->write = true;
		out->has_imm = true;
		break;
	case 0xa1: /* MOV rAX, moffs */
	case 0xa3: /* MOV moffs, rAX: the offset is address-size wide */
		if (i + out->addr_size > limit)
			return -1;
		out->base = HV_INSN_NO_REG;
		out->index = HV_INSN_NO_REG;
		out->scale = 1;
		out->disp = get_le(b + i, out->addr_size);
		i += out->addr_size;
		out->write = op == 0xa3;
		break;
	default:
		return -1;
	}
	/* Stack-based addressing defaults to SS only without an override (§1.2.4, table 1-5). */
	if (seg == SEG_DEFAULT)
		seg = ss_default ? HV_SEG_SS : HV_SEG_DS;
	out->seg = (uint8_t)seg;
	out->reg = (uint8_t)reg;
	out->len = (uint8_t)i;
	return 0;
}

bool hv_insn_linear(struct hv_vcpu *vcpu, const struct hv_insn_state *st,
		    const struct hv_insn *insn, uint64_t *la)
{
	uint64_t ea = insn->disp, mask;

	if (insn->seg == HV_SEG_FS || insn->seg == HV_SEG_GS)
		return false;
	if (insn->base == HV_INSN_RIP)
		ea += st->rip + insn->len;
	else if (insn->base != HV_INSN_NO_REG)
		ea += vcpu->ops->get_gpr(vcpu, (unsigned)insn->base);
	if (insn->index != HV_INSN_NO_REG)
		ea += vcpu->ops->get_gpr(vcpu, (unsigned)insn->index) * insn->scale;
	mask = insn->addr_size == 8 ? ~0ull : insn->addr_size == 4 ? 0xffffffffull : 0xffffull;
	ea &= mask;
	if (hv_insn_mode(st) == 64)
		*la = ea;
	else
		*la = (st->seg_base[insn->seg] + ea) & 0xffffffffull;
	return true;
}
