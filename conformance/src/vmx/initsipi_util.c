/* SPDX-License-Identifier: MIT */
/* Helpers of the two-processor VMX scenarios (see initsipi.h). */
#include "initsipi.h"

#include "x86/cpu.h"

struct vap vap;


static char need_reason[96];

static const char *need2_misc(uint64_t bit, const char *name)
{
	const char *why = conf_vmx_need2();
	struct conf_vmx_caps c;

	if (why)
		return why;
	(void)conf_vmx_read_caps(&c);
	if (c.misc & bit)
		return NULL;
	hv_snprintf(need_reason, sizeof(need_reason), "%s", name);
	return need_reason;
}

const char *vap_need2_hlt(void)
{
	return need2_misc(VMX_MISC_ACTIVITY_HLT, "IA32_VMX_MISC[6] (activity state HLT) = 0");
}

const char *vap_need2_wait_sipi(void)
{
	return need2_misc(VMX_MISC_ACTIVITY_WAIT_SIPI,
			  "IA32_VMX_MISC[8] (activity state wait-for-SIPI) = 0");
}

static void record_first(struct vap *v)
{
	struct conf_vmx *s = &v->s;
	uint64_t x = 0;

	v->exit = s->exit;
	v->rax = s->gprs.rax;
	v->vmread_ok = arch_vmread(GUEST_ACTIVITY_STATE, &x) == ARCH_OK;
	v->activity_saved = x;
	v->intr_state = conf_vmx_r(GUEST_INTERRUPTIBILITY_INFO);
	v->cs_sel = conf_vmx_r(GUEST_CS_SELECTOR);
	v->cr0 = conf_vmx_r(GUEST_CR0);
	v->at_handler = conf_vmx_exception_frame(s, &v->vector, &v->frame);
	/* The interrupt is in service: in the guest's handler, or acknowledged on exit. */
	if ((v->at_handler && v->vector >= 32) ||
	    (v->exit.reason == VMX_EXIT_EXTERNAL_INTERRUPT && (v->exit.intr_info & INTR_INFO_VALID)))
		arch_apic_write(APIC_EOI, 0);
}

void vap_guest(void *arg)
{
	struct vap *v = arg;
	struct conf_vmx *s = &v->s;

	conf_apic_sw_enable();
	v->apic_id = conf_apic_self_id();
	if (!CONF_VMX_SETUP_QUIET(s, vmx_guest)) {
		v->err = s->err;
		(void)arch_vmxoff();
		__atomic_store_n(&v->ready, 1, __ATOMIC_RELEASE);
		return;
	}
	if (v->pin)
		conf_vmx_set_ctl(s, PIN_BASED_VM_EXEC_CONTROL, v->pin, true);
	if (v->exit_ctls)
		conf_vmx_set_ctl(s, VM_EXIT_CONTROLS, v->exit_ctls, true);
	conf_vmx_w(s, GUEST_ACTIVITY_STATE, v->activity);
	conf_vmx_w(s, GUEST_RFLAGS, X86_RFLAGS_FIXED | (v->irq_on ? X86_RFLAGS_IF : 0));
	conf_vmx_start_at(s, v->start);
	s->gprs.rbx = s->guest.stack_base;
	s->gprs.rcx = VAP_SPIN_ROUNDS;
	v->counter = arch_phys_to_virt(s->guest.stack_base);
	v->flag = (uint32_t *)(v->counter + 1);
	__atomic_store_n(&v->ready, 1, __ATOMIC_RELEASE);
	v->out = conf_vmx_enter_quiet(s);
	record_first(v);
	__atomic_store_n(&v->exited, 1, __ATOMIC_RELEASE);
	(void)conf_apic_wait_flag(&v->go);
	if (v->resume && v->out == VMX_OUT_EXIT(v->exit.reason) &&
	    !(v->exit.reason & VMX_EXIT_REASON_FAILED_VMENTRY)) {
		conf_vmx_w(s, GUEST_INTERRUPTIBILITY_INFO, 0);
		s->gprs.rcx = 1000;
		v->out2 = conf_vmx_enter_quiet(s);
		v->rax2 = s->gprs.rax;
	}
	__atomic_store_n(&v->vmxoff_next, 1, __ATOMIC_RELEASE);
	(void)arch_vmxoff();
	__atomic_store_n(&v->after_vmxoff, 1, __ATOMIC_RELEASE);
}

bool vap_begin(struct conf_ctx *ctx, void (*fn)(void *), const struct vap *want)
{
	hv_memset(&vap, 0, sizeof(vap));
	vap.start = want->start;
	vap.activity = want->activity;
	vap.irq_on = want->irq_on;
	vap.pin = want->pin;
	vap.exit_ctls = want->exit_ctls;
	vap.resume = want->resume;
	if (arch_cpu_start(VAP_CPU, fn, &vap) != 0) {
		conf_error(ctx, "arch_cpu_start(%u) refused", VAP_CPU);
		return false;
	}
	if (!conf_apic_wait_flag(&vap.ready) || vap.err) {
		conf_error(ctx, "processor %u did not get ready: %s", VAP_CPU,
			   vap.err ? vap.err : "no report");
		return false;
	}
	/* Time for processor 1 to be in the guest (or in the state under test). */
	conf_apic_delay(VAP_STEP_TICKS);
	return true;
}

bool vap_guest_runs(struct conf_ctx *ctx)
{
	uint64_t t0 = arch_rdtsc();
	char o[128];

	while (!__atomic_load_n(vap.counter, __ATOMIC_ACQUIRE)) {
		if (__atomic_load_n(&vap.exited, __ATOMIC_ACQUIRE)) {
			conf_vmx_outcome_format(vap.out, o, sizeof(o));
			conf_fail(ctx, "the guest on processor %u never ran: VMLAUNCH: %s (RIP 0x%llx)",
				  VAP_CPU, o, (unsigned long long)vap.exit.rip);
			return false;
		}
		if (arch_rdtsc() - t0 > 4 * VAP_SETTLE_TICKS) {
			conf_error(ctx, "the guest on processor %u never ran", VAP_CPU);
			return false;
		}
		arch_cpu_pause();
	}
	return true;
}

void vap_send(uint32_t icr)
{
	arch_apic_send_ipi(vap.apic_id, icr);
	conf_apic_delay(VAP_STEP_TICKS);
}

bool vap_wait(const uint32_t *flag)
{
	uint64_t t0 = arch_rdtsc();

	while (!__atomic_load_n(flag, __ATOMIC_ACQUIRE)) {
		if (arch_rdtsc() - t0 > 4 * VAP_SETTLE_TICKS)
			return false;
		arch_cpu_pause();
	}
	return true;
}

bool vap_go_and_join(struct conf_ctx *ctx)
{
	__atomic_store_n(&vap.go, 1, __ATOMIC_RELEASE);
	/* A processor an INIT took at VMXOFF never gets past it. */
	if (!vap_wait(&vap.after_vmxoff))
		return false;
	if (!conf_apic_join(VAP_CPU)) {
		conf_error(ctx, "processor %u did not finish", VAP_CPU);
		return false;
	}
	return true;
}

static void idle(void *arg)
{
	(void)arg;
}

void vap_end(struct conf_ctx *ctx)
{
	__atomic_store_n(&vap.go, 1, __ATOMIC_RELEASE);
	if (vap.flag)
		__atomic_store_n(vap.flag, 1, __ATOMIC_RELEASE);
	/* A latched INIT may take it at VMXOFF: let that happen before taking it back. */
	if (vap.ready && !vap.err && vap_wait(&vap.vmxoff_next))
		conf_apic_delay(VAP_SETTLE_TICKS);
	/* Busy: it still runs its function; wait for it, then take it again. */
	if (arch_cpu_start(VAP_CPU, idle, NULL) != 0 &&
	    (!conf_apic_join(VAP_CPU) || arch_cpu_start(VAP_CPU, idle, NULL) != 0)) {
		conf_error(ctx, "the platform could not start processor %u again", VAP_CPU);
		return;
	}
	if (!conf_apic_join(VAP_CPU))
		conf_error(ctx, "processor %u did not run host code again", VAP_CPU);
}

bool vap_check_exit(struct conf_ctx *ctx, const char *what, conf_vmx_outcome_t got,
		    uint32_t reason)
{
	if (got == VMX_OUT_FAULT(0xff)) {
		conf_error(ctx, "%s: processor %u's set-up VMWRITE of field 0x%x failed", what,
			   VAP_CPU, vap.s.bad_write - 1);
		return false;
	}
	return conf_vmx_check(ctx, what, got, VMX_OUT_EXIT(reason));
}
