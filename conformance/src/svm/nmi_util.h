/* SPDX-License-Identifier: MIT */
/*
 * Shared by the NMI and vNMI scenarios: the nmi_guest payload (see
 * guest/nmi.S) with its counting handler on IDT vector 2.
 */
#ifndef CONF_SRC_NMI_UTIL_H
#define CONF_SRC_NMI_UTIL_H

#include "svm_util.h"

CONF_PAYLOAD_DECLARE(nmi_guest);
CONF_PAYLOAD_LABEL(nmi_guest, main1);
CONF_PAYLOAD_LABEL(nmi_guest, iret);
CONF_PAYLOAD_LABEL(nmi_guest, after_iret);
CONF_PAYLOAD_LABEL(nmi_guest, nmi_handler);
CONF_PAYLOAD_LABEL(nmi_guest, nmi_iret);
CONF_PAYLOAD_LABEL(nmi_guest, bad_handler);
CONF_PAYLOAD_LABEL(nmi_guest, bad_iret);
CONF_PAYLOAD_LABEL(nmi_guest, count);

/* The selector bad_handler puts in its IRET frame. */
#define NMI_GUEST_BAD_SELECTOR 0x1230u

/* Builds the guest with `handler` on vector 2. */
static inline bool nmi_setup(struct conf_ctx *ctx, struct conf_svm *s, bool use_vnmi,
			     const uint8_t *handler)
{
	if (!conf_svm_setup(ctx, s, CONF_PAYLOAD(nmi_guest), use_vnmi))
		return false;
	hv_guest_set_gate(&s->guest, 2, conf_svm_addr(s, handler));
	return true;
}

/* The same with vNMI in use, which the VMCB must then show (int_ctl V_NMI_ENABLE). */
static inline bool vnmi_setup(struct conf_ctx *ctx, struct conf_svm *s)
{
	if (!nmi_setup(ctx, s, true, nmi_guest_nmi_handler))
		return false;
	return conf_check_bit(ctx, "int_ctl V_NMI_ENABLE", s->vmcb->control.int_ctl, V_NMI_ENABLE,
			      true);
}

/* How many times a handler of nmi_guest has run. */
static inline uint64_t nmi_count(const struct conf_svm *s)
{
	return *(volatile uint64_t *)conf_svm_ptr(s, nmi_guest_count);
}

/* The interrupted RIP, read at the counting handler's VMMCALL (RAX pushed first). */
static inline uint64_t nmi_frame_rip(struct conf_svm *s)
{
	struct conf_iret_frame f;

	conf_svm_iret_frame(s, 1, &f);
	return f.rip;
}

#endif
