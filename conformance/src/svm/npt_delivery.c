/* SPDX-License-Identifier: MIT */
/*
 * Event delivery under nested paging (APM vol. 2 §15.25, §15.7.2). The
 * processor's own accesses while it vectors an event — the IDT gate, the
 * stack frame — are guest-physical accesses like any other: a page the
 * nested tables leave out gives #VMEXIT(NPF) for that access, with the
 * event being delivered in EXITINTINFO and RIP where the event found the
 * guest, so that the hypervisor can map the page and inject the event again
 * (EVENTINJ from EXITINTINFO). The handler then runs once. Every kind of
 * event: EVENTINJ, an exception a guest instruction raises, a physical
 * interrupt, a virtual interrupt and a virtual NMI; and the hv core doing
 * the re-injection itself.
 */
#include "irq_util.h"
#include "npt_util.h"
#include "x86/apic.h"
#include "x86/cpu.h"

CONF_PAYLOAD_DECLARE(icpt_guest);
CONF_PAYLOAD_LABEL(icpt_guest, ud);

/* #NPF exit_info_1 (§15.25.6): RW, US, and bit 32, a final-address fault. */
#define NPF_RW    (1ull << 1)
#define NPF_US    (1ull << 2)
#define NPF_FINAL (1ull << 32)
#define VECTOR    0x51u
#define GATE(d, v) ((d)->s.guest.idt_base + 16ull * (v))

struct deliv {
	struct conf_svm s;
	struct conf_npt n;
	uint64_t page;   /* the guest-physical page taken out */
};

static bool setup(struct conf_ctx *ctx, struct deliv *d, struct conf_payload p, bool vnmi)
{
	return conf_svm_setup(ctx, &d->s, p, vnmi) && conf_npt_identity(ctx, &d->s, &d->n);
}

/* Leaves the guest-physical page of gpa out of the nested tables. */
static bool take_out(struct conf_ctx *ctx, struct deliv *d, uint64_t gpa)
{
	d->page = gpa & ~0xfffull;
	if (conf_npt_unmap_4k(&d->n, d->page))
		return true;
	conf_error(ctx, "cannot take page %#llx out of the nested tables",
		   (unsigned long long)d->page);
	return false;
}

/*
 * The #NPF of a delivery: the access (info1, gpa), the event in
 * EXITINTINFO (with its error code), RIP where the event found the guest.
 */
static bool expect_npf(struct conf_ctx *ctx, struct deliv *d, uint64_t info1, uint64_t gpa,
		       uint32_t intinfo, uint32_t err, uint64_t rip, const char *what)
{
	const struct vmcb_control_area *c = &d->s.vmcb->control;

	if (!conf_svm_run_expect(ctx, &d->s, SVM_EXIT_NPF, what))
		return false;
	conf_check_u64(ctx, "exit_info_1", c->exit_info_1, info1);
	conf_check_u64(ctx, "exit_info_2 (GPA of the access)", c->exit_info_2, gpa);
	conf_check_u64(ctx, "EXITINTINFO (the event)", c->exit_int_info, intinfo);
	if (intinfo & SVM_EXITINTINFO_VALID_ERR)
		conf_check_u64(ctx, "EXITINTINFO error code", c->exit_int_info_err, err);
	return conf_check_u64(ctx, "RIP (where the event found the guest)", d->s.vmcb->save.rip,
			      rip);
}

/* As a hypervisor does: put the page back, inject EXITINTINFO again. */
static void reinject(struct deliv *d)
{
	struct vmcb_control_area *c = &d->s.vmcb->control;

	conf_npt_map_4k(&d->n, d->page);
	c->event_inj = c->exit_int_info;
	c->event_inj_err = c->exit_int_info_err;
}

/*
 * The default stub of vector reports the event once, with the frame it
 * should have; then, past the stub, the guest goes on to its next stop
 * (unless resuming would only raise the same exception again).
 */
static void expect_stub_once(struct conf_ctx *ctx, struct deliv *d, uint8_t vector,
			     uint64_t rip, uint64_t err, bool resumes)
{
	struct hv_guest_frame f;
	uint8_t got;

	if (!conf_svm_run_expect(ctx, &d->s, SVM_EXIT_VMMCALL, "the event injected again"))
		return;
	if (!conf_check_true(ctx, "a default IDT stub ran", conf_svm_stub_frame(&d->s, &got, &f)))
		return;
	conf_check_u64(ctx, "vector delivered", got, vector);
	conf_check_u64(ctx, "interrupted RIP", f.rip, rip);
	conf_check_u64(ctx, "error code on the stack", f.error_code, err);
	if (!resumes)
		return;
	conf_svm_skip(&d->s, 3);
	d->s.vmcb->control.event_inj = 0;
	conf_svm_run_to_mark(ctx, &d->s, MARK_DONE, "the guest after the handler (delivered once)");
}

static const char *vnmi_npt_unsupported(void)
{
	const char *why = conf_npt_unsupported();

	return why ? why : conf_vnmi_unsupported();
}

/* EVENTINJ of an interrupt whose IDT gate is on a page left out — Expect: #NPF on the gate, then once */
CONF_SCENARIO(svm_npt_eventinj_gate_absent, "svm npt eventinj",
	      "Expect: #VMEXIT(NPF) with exit_info_1 = US | final-address, exit_info_2 = the "
	      "gate's GPA, EXITINTINFO = the injected interrupt, RIP at the first instruction; "
	      "injected again once the page is mapped, the handler runs once",
	      "APM vol. 2 §15.20, §15.25.6, §15.7.2", conf_npt_unsupported)
{
	struct deliv d;
	uint32_t ev = SVM_EVTINJ_VALID | SVM_EVTINJ_TYPE_INTR | VECTOR;

	if (!setup(ctx, &d, CONF_PAYLOAD(icpt_guest), false) || !take_out(ctx, &d, GATE(&d, VECTOR)))
		return;
	d.s.vmcb->control.event_inj = ev;
	if (!expect_npf(ctx, &d, NPF_US | NPF_FINAL, GATE(&d, VECTOR), ev, 0, d.s.guest.entry,
			"VMRUN injecting an interrupt through an unmapped IDT page"))
		return;
	reinject(&d);
	expect_stub_once(ctx, &d, VECTOR, d.s.guest.entry, 0, true);
}

/* EVENTINJ of #GP(0xbeef) with the stack page left out — Expect: #NPF on the first push, exact address */
CONF_SCENARIO(svm_npt_eventinj_stack_absent, "svm npt eventinj",
	      "Expect: #VMEXIT(NPF) with exit_info_1 = RW | US | final-address and exit_info_2 = "
	      "the exact GPA of the frame's first push (SS, at RSP - 8), EXITINTINFO = the "
	      "injected #GP with its error code; injected again, the handler runs once with "
	      "0xbeef pushed",
	      "APM vol. 2 §15.20, §15.25.6, §8.9.3", conf_npt_unsupported)
{
	struct deliv d;
	uint32_t ev = SVM_EVTINJ_VALID | SVM_EVTINJ_VALID_ERR | SVM_EVTINJ_TYPE_EXEPT | X86_VEC_GP;
	uint64_t push;

	if (!setup(ctx, &d, CONF_PAYLOAD(icpt_guest), false))
		return;
	/* Long mode aligns the new RSP to 16 bytes before the frame (§8.9.3). */
	push = (d.s.guest.stack_top & ~0xfull) - 8;
	if (!take_out(ctx, &d, push))
		return;
	d.s.vmcb->control.event_inj = ev;
	d.s.vmcb->control.event_inj_err = 0xbeef;
	if (!expect_npf(ctx, &d, NPF_RW | NPF_US | NPF_FINAL, push, ev, 0xbeef, d.s.guest.entry,
			"VMRUN injecting #GP onto an unmapped stack page"))
		return;
	reinject(&d);
	expect_stub_once(ctx, &d, X86_VEC_GP, d.s.guest.entry, 0xbeef, true);
}

/* #UD raised by a guest instruction, its gate on a page left out — Expect: #NPF with the #UD in EXITINTINFO */
CONF_SCENARIO(svm_npt_exception_gate_absent, "svm npt",
	      "Expect: a guest UD2 whose #UD gate is on a page the nested tables leave out gives "
	      "#VMEXIT(NPF) on the gate with EXITINTINFO = #UD (an exception, no error code) and "
	      "RIP at the UD2; injected again, the handler runs once, interrupted at the UD2",
	      "APM vol. 2 §15.25.6, §15.7.2", conf_npt_unsupported)
{
	struct deliv d;
	uint32_t ev = SVM_EXITINTINFO_VALID | SVM_EXITINTINFO_TYPE_EXEPT | X86_VEC_UD;
	uint64_t ud;

	if (!setup(ctx, &d, CONF_PAYLOAD(icpt_guest), false) ||
	    !take_out(ctx, &d, GATE(&d, X86_VEC_UD)))
		return;
	conf_svm_start_at(&d.s, icpt_guest_ud);
	ud = conf_svm_addr(&d.s, icpt_guest_ud);
	if (!expect_npf(ctx, &d, NPF_US | NPF_FINAL, GATE(&d, X86_VEC_UD), ev, 0, ud,
			"UD2 with its gate unmapped"))
		return;
	reinject(&d);
	expect_stub_once(ctx, &d, X86_VEC_UD, ud, 0, false);
}

/* A physical interrupt taken by the guest, its gate on a page left out — Expect: #NPF, acknowledged, then once */
/* Whatever happened above, leave no vector in service for the scenarios after. */
static void drain_isr(void)
{
	if (arch_apic_read(APIC_VECTOR_REG(APIC_ISR, VECTOR)) & APIC_VECTOR_BIT(VECTOR))
		arch_apic_write(APIC_EOI, 0);
}

static void intr_gate_absent(struct conf_ctx *ctx);

CONF_SCENARIO(svm_npt_intr_gate_absent, "svm npt interrupts",
	      "Expect: a fixed self-IPI the guest takes (no INTR intercept) through a gate on a "
	      "page the nested tables leave out gives #VMEXIT(NPF) with EXITINTINFO = the "
	      "interrupt; the local APIC has it in service; injected again, the guest's handler "
	      "runs once and EOIs it",
	      "APM vol. 2 §15.21.1, §15.25.6, §15.7.2", conf_npt_unsupported)
{
	intr_gate_absent(ctx);
	drain_isr();
}

static void intr_gate_absent(struct conf_ctx *ctx)
{
	struct deliv d;
	uint32_t ev = SVM_EXITINTINFO_VALID | SVM_EXITINTINFO_TYPE_INTR | VECTOR;

	if (!setup(ctx, &d, CONF_PAYLOAD(irq_guest), false))
		return;
	hv_guest_set_gate(&d.s.guest, VECTOR, conf_svm_addr(&d.s, irq_guest_handler));
	if (!take_out(ctx, &d, GATE(&d, VECTOR)))
		return;
	/* A software-disabled APIC drops fixed interrupts (SDM §11.4.7.2). */
	arch_apic_write(APIC_SVR, APIC_SVR_ENABLE | 0xffu);
	d.s.vmcb->control.int_ctl &= ~V_INTR_MASKING_MASK;
	d.s.vmcb->save.rflags |= X86_RFLAGS_IF;
	arch_apic_send_ipi(0, APIC_DEST_SELF | APIC_INT_ASSERT | APIC_DM_FIXED | VECTOR);
	if (!expect_npf(ctx, &d, NPF_US | NPF_FINAL, GATE(&d, VECTOR), ev, 0, d.s.guest.entry,
			"the interrupt through an unmapped gate"))
		return;
	conf_check_true(ctx, "the interrupt is in service (ISR)",
			(arch_apic_read(APIC_VECTOR_REG(APIC_ISR, VECTOR)) &
			 APIC_VECTOR_BIT(VECTOR)) != 0);
	reinject(&d);
	if (conf_svm_run_to_mark(ctx, &d.s, MARK_IRQ, "the handler of the injected interrupt") &&
	    conf_svm_run_to_mark(ctx, &d.s, MARK_EOI, "its EOI"))
		conf_check_u64(ctx, "handler runs", irq_handler_runs(&d.s), 1);
}


/* V_IRQ taken by the guest, its gate on a page left out — Expect: #NPF with the interrupt in EXITINTINFO */
CONF_SCENARIO(svm_npt_virq_gate_absent, "svm npt virq",
	      "Expect: a virtual interrupt (V_IRQ) taken through a gate on a page the nested tables "
	      "leave out gives #VMEXIT(NPF) with EXITINTINFO = the interrupt and V_IRQ clear; "
	      "injected again, the handler runs once",
	      "APM vol. 2 §15.21.4, §15.25.6, §15.7.2", conf_npt_unsupported)
{
	struct deliv d;
	uint32_t ev = SVM_EXITINTINFO_VALID | SVM_EXITINTINFO_TYPE_INTR | VECTOR;
	struct vmcb_control_area *c;

	if (!setup(ctx, &d, CONF_PAYLOAD(irq_guest), false))
		return;
	hv_guest_set_gate(&d.s.guest, VECTOR, conf_svm_addr(&d.s, irq_guest_handler));
	if (!take_out(ctx, &d, GATE(&d, VECTOR)))
		return;
	c = &d.s.vmcb->control;
	d.s.vmcb->save.rflags |= X86_RFLAGS_IF;
	c->int_vector = VECTOR;
	c->int_ctl = (c->int_ctl & ~(V_TPR_MASK | V_INTR_PRIO_MASK)) | V_IRQ_MASK |
		     (0xfu << V_INTR_PRIO_SHIFT);
	if (!expect_npf(ctx, &d, NPF_US | NPF_FINAL, GATE(&d, VECTOR), ev, 0, d.s.guest.entry,
			"V_IRQ through an unmapped gate"))
		return;
	conf_check_bit(ctx, "int_ctl V_IRQ", c->int_ctl, V_IRQ_MASK, false);
	reinject(&d);
	if (conf_svm_run_to_mark(ctx, &d.s, MARK_IRQ, "the handler of the injected interrupt"))
		conf_check_u64(ctx, "handler runs", irq_handler_runs(&d.s), 1);
}

/* A virtual NMI, its gate on a page left out — Expect: #NPF, V_NMI_MASK cleared, then once */
CONF_SCENARIO(svm_npt_vnmi_gate_absent, "svm npt vnmi",
	      "Expect: a virtual NMI (V_NMI with V_NMI_ENABLE) vectored through a gate on a page "
	      "the nested tables leave out gives #VMEXIT(NPF) with EXITINTINFO = NMI, and the "
	      "#VMEXIT during delivery clears V_NMI_MASK; injected again, the handler runs once",
	      "APM vol. 2 §15.21.10, §15.25.6, §15.7.2", vnmi_npt_unsupported)
{
	struct deliv d;
	uint32_t ev = SVM_EXITINTINFO_VALID | SVM_EXITINTINFO_TYPE_NMI | X86_VEC_NMI;
	struct vmcb_control_area *c;

	if (!setup(ctx, &d, CONF_PAYLOAD(icpt_guest), true) ||
	    !take_out(ctx, &d, GATE(&d, X86_VEC_NMI)))
		return;
	c = &d.s.vmcb->control;
	c->int_ctl |= V_NMI_ENABLE_MASK | V_NMI_PENDING_MASK;
	c->int_ctl &= ~V_NMI_BLOCKING_MASK;
	if (!expect_npf(ctx, &d, NPF_US | NPF_FINAL, GATE(&d, X86_VEC_NMI), ev, 0, d.s.guest.entry,
			"a virtual NMI through an unmapped gate"))
		return;
	conf_check_bit(ctx, "int_ctl V_NMI_MASK", c->int_ctl, V_NMI_BLOCKING_MASK, false);
	conf_check_bit(ctx, "int_ctl V_NMI (taken)", c->int_ctl, V_NMI_PENDING_MASK, false);
	reinject(&d);
	expect_stub_once(ctx, &d, X86_VEC_NMI, d.s.guest.entry, 0, false);
}

/* The hv core injects an NMI through a gate left out — Expect: the core reports the #NPF, then injects it once */
CONF_SCENARIO(svm_npt_core_reinjects_nmi, "svm npt nmi core",
	      "Expect: an NMI the hv core injects (hv_vcpu_queue_nmi) through a gate on a page the "
	      "nested tables leave out ends hv_vcpu_run with #VMEXIT(NPF) and the NMI in "
	      "EXITINTINFO; once the page is mapped the next hv_vcpu_run injects it again and the "
	      "guest's handler runs once",
	      "APM vol. 2 §15.25.6, §15.7.2; KVM svm_complete_interrupts", conf_npt_unsupported)
{
	struct deliv d;
	struct hv_exit exit;

	if (!setup(ctx, &d, CONF_PAYLOAD(icpt_guest), false) ||
	    !take_out(ctx, &d, GATE(&d, X86_VEC_NMI)))
		return;
	hv_vcpu_queue_nmi(&d.s.vcpu);
	if (hv_vcpu_run(&d.s.vcpu, &exit) != HV_OK) {
		conf_error(ctx, "hv_vcpu_run refused the vCPU");
		return;
	}
	if (!conf_check_u64(ctx, "exit code", exit.raw.reason, SVM_EXIT_NPF))
		return;
	conf_check_u64(ctx, "exit_info_2 (the gate)", exit.raw.info2, GATE(&d, X86_VEC_NMI));
	conf_check_u64(ctx, "EXITINTINFO type", exit.raw.int_info & SVM_EXITINTINFO_TYPE_MASK,
		       SVM_EXITINTINFO_TYPE_NMI);
	conf_npt_map_4k(&d.n, d.page);
	if (hv_vcpu_run(&d.s.vcpu, &exit) != HV_OK) {
		conf_error(ctx, "hv_vcpu_run refused the vCPU");
		return;
	}
	if (!conf_check_u64(ctx, "exit reason (the guest's NMI stub)", exit.reason,
			    HV_EXIT_EXCEPTION) ||
	    !conf_check_u64(ctx, "exception source", exit.exception.source, HV_EXC_GUEST_STUB))
		return;
	conf_check_u64(ctx, "vector", exit.exception.vector, X86_VEC_NMI);
	conf_check_u64(ctx, "interrupted RIP", exit.exception.rip, d.s.guest.entry);
	conf_svm_core_run_to(ctx, &d.s, MARK_DONE, "the guest after the handler (delivered once)");
}
