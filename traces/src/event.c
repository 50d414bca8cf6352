/* SPDX-License-Identifier: MIT */
/*
 * The event stream (hv/event.h) as records: which kind each event becomes
 * and which of its words the record keeps. Both platforms go through here,
 * the model's listener and the hardware image's serial lines (serial.c).
 */
#include <string.h>

#include "vxtrace/trace.h"
#include "x86/vmcb.h"

static const struct {
	uint16_t kind;
	uint8_t known;
} simple[HV_EV_TYPE_COUNT] = {
	[HV_EV_VMRUN] = { VXT_KVM_ENTRY, 0xff },
	[HV_EV_VMEXIT] = { VXT_KVM_EXIT, 0x7f },
	[HV_EV_DELIVER] = { VXT_DELIVER, 0x07 },
	[HV_EV_IPI] = { VXT_KVM_APIC_IPI, 0x03 },
	[HV_EV_TIMER] = { VXT_APIC_TIMER, 0x03 },
	[HV_EV_MP_STATE] = { VXT_MP_STATE, 0x07 },
	[HV_EV_SHUTDOWN] = { VXT_SHUTDOWN, 0x01 },
	[HV_EV_INIT] = { VXT_INIT, 0x01 },
	[HV_EV_SIPI] = { VXT_SIPI, 0x03 },
	[HV_EV_VMRUN_INTERCEPTS] = { VXT_KVM_NESTED_INTERCEPTS, 0xff },
	[HV_EV_GUEST_CODE] = { VXT_GUEST_CODE, 0xff },
	[HV_EV_EVENTINJ] = { VXT_EVENTINJ, 0x03 },
	[HV_EV_HOST_IRQ] = { VXT_HOST_IRQ, 0x01 },
	[HV_EV_HOST_NMI] = { VXT_HOST_NMI, 0x00 },
	[HV_EV_APIC_ACCEPT] = { VXT_KVM_APIC_ACCEPT_IRQ, 0x0f },
	[HV_EV_CONSISTENCY] = { VXT_KVM_NESTED_VMENTER_FAILED, 0x01 },
	[HV_EV_VMENTRY] = { VXT_VMX_ENTRY, 0xff },
	[HV_EV_VMX_EXIT] = { VXT_VMX_EXIT, 0xff },
};

/* The core's EVENTINJ request, as KVM names the injection it makes. */
static void inject(struct vxt_record *r, const struct hv_event *ev)
{
	uint64_t inj = ev->v[0];

	/* EVENTINJ (APM vol. 2 §15.20). */
	switch (inj & SVM_EVTINJ_TYPE_MASK) {
	case SVM_EVTINJ_TYPE_EXEPT:
		r->kind = VXT_KVM_INJ_EXCEPTION;
		r->v[0] = inj & SVM_EVTINJ_VEC_MASK;
		r->v[1] = !!(inj & SVM_EVTINJ_VALID_ERR);
		r->v[2] = inj & SVM_EVTINJ_VALID_ERR ? ev->v[1] : 0;
		r->known = 0x07;
		break;
	case SVM_EVTINJ_TYPE_NMI:
		r->kind = VXT_INJ_NMI;
		r->v[0] = 0;
		r->known = 0x01;
		break;
	default:
		r->kind = VXT_KVM_INJ_VIRQ;
		r->v[0] = inj & SVM_EVTINJ_VEC_MASK;
		r->v[1] = (inj & SVM_EVTINJ_TYPE_MASK) == SVM_EVTINJ_TYPE_SOFT;
		r->known = 0x03;
		break;
	}
}

void vxt_add_event(struct vxt_trace *t, const struct hv_event *ev)
{
	struct vxt_record r;

	if (ev->type == 0 || ev->type >= HV_EV_TYPE_COUNT)
		return;
	memset(&r, 0, sizeof(r));
	r.time = ev->cycle;
	r.cpu = ev->cpu;
	r.source = ev->source;
	r.text = vxt_intern(t, ev->text);
	switch (ev->type) {
	case HV_EV_INJECT:
		inject(&r, ev);
		break;
	case HV_EV_INJECT_VNMI:
		r.kind = VXT_INJ_NMI;
		r.v[0] = 1;
		r.known = 0x01;
		break;
	case HV_EV_CHECK:
		r.kind = VXT_CHECK;
		memcpy(r.v, ev->v, 3 * sizeof(r.v[0]));
		r.known = (uint8_t)(0x01 | (ev->v[3] & 0x06));
		break;
	default:
		if (!simple[ev->type].kind)
			return;
		r.kind = simple[ev->type].kind;
		r.known = simple[ev->type].known;
		memcpy(r.v, ev->v, sizeof(r.v));
		break;
	}
	vxt_push(t, &r);
}
