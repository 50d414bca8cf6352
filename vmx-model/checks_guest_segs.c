/* SPDX-License-Identifier: MIT */
/*
 * VM-entry checks on the guest segment registers (SDM vol. 3C §27.3.1.2).
 */
#include "vmx-model/checks_rules.h"

/*
 * A rule for CS and each usable one of SS, DS, ES, FS, GS (§27.3.1.2 words
 * most access-rights rules so), outside virtual-8086 mode.
 */
static bool each_code_data(const struct check_in *in, bool (*ok)(const struct vmx_segment *s))
{
	static const enum vmx_seg segs[] = { VMX_SEG_CS, VMX_SEG_SS, VMX_SEG_DS,
					     VMX_SEG_ES, VMX_SEG_FS, VMX_SEG_GS };

	if (in->v86)
		return true;
	for (unsigned i = 0; i < sizeof(segs) / sizeof(segs[0]); i++) {
		const struct vmx_segment *s = seg(in, segs[i]);

		if ((segs[i] == VMX_SEG_CS || usable(s)) && !ok(s))
			return false;
	}
	return true;
}

/* In virtual-8086 mode the rule holds for all six, usable or not. */
static bool each_v86(const struct check_in *in, bool (*ok)(const struct vmx_segment *s))
{
	if (!in->v86)
		return true;
	for (int i = VMX_SEG_ES; i <= VMX_SEG_GS; i++)
		if (!ok(seg(in, (enum vmx_seg)i)))
			return false;
	return true;
}

static bool v86_base(const struct vmx_segment *s) { return s->base == (uint64_t)s->selector << 4; }
static bool v86_limit(const struct vmx_segment *s) { return s->limit == 0xffff; }
static bool v86_ar(const struct vmx_segment *s) { return s->ar_bytes == 0xf3; }

bool cc_V86_BASE(const struct check_in *in) { return each_v86(in, v86_base); }
bool cc_V86_LIMIT(const struct check_in *in) { return each_v86(in, v86_limit); }
bool cc_V86_AR(const struct check_in *in) { return each_v86(in, v86_ar); }

bool cc_TR_TI(const struct check_in *in)
{
	return !(seg(in, VMX_SEG_TR)->selector & 4);
}

bool cc_LDTR_TI(const struct check_in *in)
{
	const struct vmx_segment *s = seg(in, VMX_SEG_LDTR);

	return !usable(s) || !(s->selector & 4);
}

bool cc_SS_RPL(const struct check_in *in)
{
	return in->v86 || in->ug ||
	       (seg(in, VMX_SEG_SS)->selector & 3) == (seg(in, VMX_SEG_CS)->selector & 3);
}

bool cc_TR_FS_GS_BASE_CANONICAL(const struct check_in *in)
{
	return canonical(seg(in, VMX_SEG_TR)->base) && canonical(seg(in, VMX_SEG_FS)->base) &&
	       canonical(seg(in, VMX_SEG_GS)->base);
}

bool cc_LDTR_BASE_CANONICAL(const struct check_in *in)
{
	const struct vmx_segment *s = seg(in, VMX_SEG_LDTR);

	return !usable(s) || canonical(s->base);
}

bool cc_CS_BASE_HIGH(const struct check_in *in)
{
	return !(seg(in, VMX_SEG_CS)->base >> 32);
}

bool cc_SS_DS_ES_BASE_HIGH(const struct check_in *in)
{
	static const enum vmx_seg segs[] = { VMX_SEG_SS, VMX_SEG_DS, VMX_SEG_ES };

	for (unsigned i = 0; i < 3; i++) {
		const struct vmx_segment *s = seg(in, segs[i]);

		if (usable(s) && (s->base >> 32))
			return false;
	}
	return true;
}

bool cc_CS_TYPE(const struct check_in *in)
{
	uint32_t t = seg_type(seg(in, VMX_SEG_CS));

	return in->v86 || t == 9 || t == 11 || t == 13 || t == 15 || (in->ug && t == 3);
}

bool cc_SS_TYPE(const struct check_in *in)
{
	const struct vmx_segment *s = seg(in, VMX_SEG_SS);

	return in->v86 || !usable(s) || seg_type(s) == 3 || seg_type(s) == 7;
}

bool cc_DS_ES_FS_GS_TYPE(const struct check_in *in)
{
	static const enum vmx_seg segs[] = { VMX_SEG_DS, VMX_SEG_ES, VMX_SEG_FS, VMX_SEG_GS };

	for (unsigned i = 0; !in->v86 && i < 4; i++) {
		const struct vmx_segment *s = seg(in, segs[i]);
		uint32_t t = seg_type(s);

		if (usable(s) && (!(t & 1) || ((t & 8) && !(t & 2))))
			return false;
	}
	return true;
}

static bool s_set(const struct vmx_segment *s) { return s->ar_bytes & VMX_AR_S; }
bool cc_SEG_S(const struct check_in *in) { return each_code_data(in, s_set); }

bool cc_CS_DPL_DATA(const struct check_in *in)
{
	const struct vmx_segment *cs = seg(in, VMX_SEG_CS);

	return in->v86 || seg_type(cs) != 3 || dpl(cs) == 0;
}

bool cc_CS_DPL_NONCONFORMING(const struct check_in *in)
{
	const struct vmx_segment *cs = seg(in, VMX_SEG_CS);

	return in->v86 || (seg_type(cs) != 9 && seg_type(cs) != 11) ||
	       dpl(cs) == dpl(seg(in, VMX_SEG_SS));
}

bool cc_CS_DPL_CONFORMING(const struct check_in *in)
{
	const struct vmx_segment *cs = seg(in, VMX_SEG_CS);

	return in->v86 || (seg_type(cs) != 13 && seg_type(cs) != 15) ||
	       dpl(cs) <= dpl(seg(in, VMX_SEG_SS));
}

bool cc_SS_DPL_RPL(const struct check_in *in)
{
	const struct vmx_segment *ss = seg(in, VMX_SEG_SS);

	return in->v86 || in->ug || dpl(ss) == (ss->selector & 3u);
}

bool cc_SS_DPL_REAL(const struct check_in *in)
{
	return in->v86 ||
	       (seg_type(seg(in, VMX_SEG_CS)) != 3 && (in->g->cr0 & X86_CR0_PE)) ||
	       dpl(seg(in, VMX_SEG_SS)) == 0;
}

bool cc_DATA_DPL(const struct check_in *in)
{
	static const enum vmx_seg segs[] = { VMX_SEG_DS, VMX_SEG_ES, VMX_SEG_FS, VMX_SEG_GS };

	for (unsigned i = 0; !in->v86 && !in->ug && i < 4; i++) {
		const struct vmx_segment *s = seg(in, segs[i]);

		if (usable(s) && seg_type(s) <= 11 && dpl(s) < (s->selector & 3u))
			return false;
	}
	return true;
}

static bool present(const struct vmx_segment *s) { return s->ar_bytes & VMX_AR_P; }
bool cc_SEG_PRESENT(const struct check_in *in) { return each_code_data(in, present); }

static bool ar_reserved_clear(const struct vmx_segment *s)
{
	return !(s->ar_bytes & VMX_AR_RESERVED);
}

bool cc_SEG_AR_RESERVED(const struct check_in *in)
{
	return each_code_data(in, ar_reserved_clear);
}

bool cc_CS_L_D(const struct check_in *in)
{
	uint32_t ar = seg(in, VMX_SEG_CS)->ar_bytes;

	return in->v86 || !in->ia32e_guest || !(ar & VMX_AR_L) || !(ar & VMX_AR_DB);
}

/* Byte granularity cannot express a limit whose bits 11:0 are not all 1, nor page granularity one above 1 MiB - 1. */
static bool limit_g_ok(const struct vmx_segment *s)
{
	if ((s->limit & 0xfff) != 0xfff && (s->ar_bytes & VMX_AR_G))
		return false;
	return !(s->limit & 0xfff00000u) || (s->ar_bytes & VMX_AR_G);
}

bool cc_SEG_LIMIT_G(const struct check_in *in) { return each_code_data(in, limit_g_ok); }

bool cc_TR_TYPE(const struct check_in *in)
{
	uint32_t t = seg_type(seg(in, VMX_SEG_TR));

	return t == 11 || (!in->ia32e_guest && t == 3);
}

bool cc_TR_S(const struct check_in *in) { return !s_set(seg(in, VMX_SEG_TR)); }
bool cc_TR_PRESENT(const struct check_in *in) { return present(seg(in, VMX_SEG_TR)); }
bool cc_TR_AR_RESERVED(const struct check_in *in) { return ar_reserved_clear(seg(in, VMX_SEG_TR)); }
bool cc_TR_LIMIT_G(const struct check_in *in) { return limit_g_ok(seg(in, VMX_SEG_TR)); }
bool cc_TR_USABLE(const struct check_in *in) { return usable(seg(in, VMX_SEG_TR)); }

static bool ldtr_unusable_or(const struct check_in *in, bool (*ok)(const struct vmx_segment *s))
{
	const struct vmx_segment *s = seg(in, VMX_SEG_LDTR);

	return !usable(s) || ok(s);
}

static bool type_ldt(const struct vmx_segment *s) { return seg_type(s) == X86_SEG_TYPE_LDT; }
static bool s_clear(const struct vmx_segment *s) { return !s_set(s); }

bool cc_LDTR_TYPE(const struct check_in *in) { return ldtr_unusable_or(in, type_ldt); }
bool cc_LDTR_S(const struct check_in *in) { return ldtr_unusable_or(in, s_clear); }
bool cc_LDTR_PRESENT(const struct check_in *in) { return ldtr_unusable_or(in, present); }
bool cc_LDTR_AR_RESERVED(const struct check_in *in) { return ldtr_unusable_or(in, ar_reserved_clear); }
bool cc_LDTR_LIMIT_G(const struct check_in *in) { return ldtr_unusable_or(in, limit_g_ok); }
