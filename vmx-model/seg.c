/* SPDX-License-Identifier: MIT */
/*
 * The VMCS access-rights format (SDM vol. 3C §25.4.1, table 25-2) and the
 * processor's packed attributes (include/x86/cpu.h): type, S, DPL and P in
 * bits 7:0 of both; AVL, L, D/B and G in bits 15:12 of the access rights
 * and 11:8 of the packed form. An unusable segment (bit 16) is held with
 * P clear, which is how the processor treats it on every access; on VM exit
 * a segment the processor holds not present is saved unusable, as the SDM
 * allows (§28.3.2: "the unusable bit is set if the register is unusable").
 */
#include "vmx-model/vmx_model.h"
#include "x86/cpu.h"

struct x86_seg vmx_seg_load(const struct vmx_segment *v)
{
	uint16_t attrib = (uint16_t)((v->ar_bytes & 0xffu) | ((v->ar_bytes >> 4) & 0xf00u));

	if (v->ar_bytes & VMX_AR_UNUSABLE)
		attrib &= (uint16_t)~X86_SEG_P;
	return (struct x86_seg){ v->selector, attrib, v->limit, v->base };
}

struct vmx_segment vmx_seg_save(const struct x86_seg *s)
{
	uint32_t ar = (s->attrib & 0xffu) | ((uint32_t)(s->attrib & 0xf00u) << 4);

	if (!(s->attrib & X86_SEG_P))
		ar |= VMX_AR_UNUSABLE;
	return (struct vmx_segment){ .base = s->base, .limit = s->limit, .ar_bytes = ar,
				     .selector = s->selector };
}
