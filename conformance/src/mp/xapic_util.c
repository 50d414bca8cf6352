/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the xAPIC scenarios (see xapic_util.h): the VM of
 * mp_util.c's scenarios, built with nested paging over its own payload.
 */
#include "xapic_util.h"

#include "../guest/payload.h"

/* Host waits for another vCPU: long enough for a QEMU TCG processor. */
#define HOST_WAIT_PAUSES 2000000u
/* After a mailbox is taken, time for the target to act on it. */
#define SETTLE_PAUSES 2000u
#define SYNC_DRAIN 0xffu

const char *conf_xapic_unsupported(void)
{
	const char *svm = conf_svm_unsupported();
	struct hv_svm_caps caps;

	if (svm)
		return svm;
	hv_svm_caps(&caps);
	return caps.np ? NULL : "CPUID Fn8000_000A EDX[0] (NP) = 0";
}

const char *conf_xapic_need2(void)
{
	const char *why = conf_xapic_unsupported();

	return why ? why : conf_mp_need2();
}

const char *conf_xapic_need4(void)
{
	const char *why = conf_xapic_unsupported();

	return why ? why : conf_mp_need4();
}

static void put_le(uint8_t *p, uint64_t v, unsigned bytes)
{
	for (unsigned i = 0; i < bytes; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

uint64_t conf_xapic_addr(struct conf_mp *m, const uint8_t *label)
{
	return hv_guest_addr(&m->guest, (size_t)(label - m->payload.start));
}

uint32_t conf_xapic_out(struct conf_mp *m, unsigned i)
{
	return conf_mp_u32(m, xapic_guest_out)[i];
}

/* mp.S's trampoline at CONF_MP_TRAMP_PA, continuing at xapic_guest's ap64. */
static void place_trampoline(struct conf_mp *m)
{
	uint8_t *page = arch_phys_to_virt(CONF_MP_TRAMP_PA);
	uint8_t *params = page + (mp_tramp_params - mp_tramp_start);

	hv_memset(page, 0, 4096);
	hv_memcpy(page, mp_tramp_start, (size_t)(mp_tramp_end - mp_tramp_start));
	put_le(params + 0, m->guest.gdt_limit, 2);
	put_le(params + 2, m->guest.gdt_base, 4);
	put_le(params + 16, conf_xapic_addr(m, xapic_guest_ap64), 4);
	put_le(params + 24, m->guest.cr3, 4);
	*conf_mp_u32(m, xapic_guest_sipi_vector) = CONF_MP_SIPI_VECTOR;
}

static void record_state(struct hv_vcpu *vcpu, uint32_t old_state, uint32_t new_state, void *arg)
{
	struct conf_mp *m = arg;
	uint32_t id = vcpu->id, n = m->nstates[id];

	(void)old_state;
	if (n < CONF_MP_MAX_STATES)
		m->states[id][n] = new_state;
	m->nstates[id] = n + 1;
}

static uint32_t wait_state(struct hv_vcpu *t, uint32_t want)
{
	for (uint32_t i = 0; i < HOST_WAIT_PAUSES; i++) {
		if (hv_vcpu_get_mp_state(t) == want)
			break;
		arch_cpu_pause();
	}
	return hv_vcpu_get_mp_state(t);
}

static uint32_t wait_drained(struct hv_vcpu *t)
{
	for (uint32_t i = 0; i < HOST_WAIT_PAUSES; i++) {
		if (!__atomic_load_n(&t->mailbox.events, __ATOMIC_ACQUIRE) &&
		    !__atomic_load_n(&t->mailbox.nmis, __ATOMIC_ACQUIRE))
			break;
		arch_cpu_pause();
	}
	for (uint32_t i = 0; i < SETTLE_PAUSES; i++)
		arch_cpu_pause();
	return hv_vcpu_get_mp_state(t);
}

static void record_bad(struct conf_mp *m, struct hv_vcpu *vcpu, const struct hv_exit *exit)
{
	uint32_t none = 0;

	if (__atomic_compare_exchange_n(&m->bad_claimed, &none, 1, false, __ATOMIC_ACQ_REL,
					__ATOMIC_RELAXED)) {
		m->bad_vcpu = vcpu->id;
		m->bad = *exit;
	}
	hv_vm_stop(vcpu->vm);
}

static bool on_exit(struct hv_vm *vm, struct hv_vcpu *vcpu, struct hv_exit *exit, void *arg)
{
	struct conf_mp *m = arg;
	uint64_t mark = exit->hypercall.nr & 0xffffffffull;

	if (vcpu->id != 0 || exit->reason != HV_EXIT_HYPERCALL ||
	    (mark != MARK_SYNC && mark != MARK_DONE)) {
		record_bad(m, vcpu, exit);
		return false;
	}
	if (mark == MARK_SYNC) {
		struct hv_vcpu *t = hv_vm_vcpu(vm, (uint32_t)exit->hypercall.args[0]);
		uint32_t want = (uint32_t)exit->hypercall.args[1];

		if (!t) {
			record_bad(m, vcpu, exit);
			return false;
		}
		if (m->nsyncs < CONF_MP_SYNCS)
			m->sync_state[m->nsyncs] = want == SYNC_DRAIN ? wait_drained(t)
								      : wait_state(t, want);
		m->nsyncs++;
		return true;
	}
	for (uint32_t i = 1; i < vm->nr_vcpus; i++)
		wait_state(vm->vcpus[i], m->done_wait);
	m->done = true;
	hv_vm_stop(vm);
	return false;
}

bool conf_xapic_setup(struct conf_ctx *ctx, struct conf_mp *m, uint32_t nr_vcpus,
		      const uint8_t *entry)
{
	struct conf_payload p = CONF_PAYLOAD(xapic_guest);
	struct hv_guest_config gc = {
		.payload = p.start,
		.payload_len = (size_t)(p.end - p.start),
		.entry = (size_t)(entry - p.start),
		.common_handler = HV_GUEST_BUILTIN,
	};
	struct hv_vm_config vc = {
		.nr_vcpus = nr_vcpus,
		.use_npt = true,
		.on_exit = on_exit,
		.on_mp_state = record_state,
	};
	int rc;

	hv_memset(m, 0, sizeof(*m));
	m->ctx = ctx;
	m->payload = p;
	m->done_wait = HV_MP_STATE_HALTED;
	vc.arg = m;
	rc = hv_svm_enable();
	if (rc) {
		conf_error(ctx, "hv_svm_enable: %s", hv_strerror(rc));
		return false;
	}
	rc = hv_guest_build(&m->guest, &gc);
	if (rc) {
		conf_error(ctx, "hv_guest_build: %s", hv_strerror(rc));
		return false;
	}
	rc = hv_vm_create(&m->vm, &vc, &m->guest);
	if (rc) {
		conf_error(ctx, "hv_vm_create: %s", hv_strerror(rc));
		return false;
	}
	for (uint32_t i = 0; i < nr_vcpus; i++) {
		m->states[i][0] = hv_vcpu_get_mp_state(m->vm.vcpus[i]);
		m->nstates[i] = 1;
	}
	place_trampoline(m);
	return true;
}

bool conf_xapic_start(struct conf_mp *m, uint32_t id, const uint8_t *label)
{
	struct hv_vcpu *v = hv_vm_vcpu(&m->vm, id);
	uint64_t stack = arch_page_alloc();

	if (!v || !stack) {
		conf_error(m->ctx, "vCPU %u: no vCPU or no memory for its stack", id);
		return false;
	}
	v->vmcb->save.rip = conf_xapic_addr(m, label);
	v->vmcb->save.rsp = stack + 4096;
	return conf_check_u64(m->ctx, "hv_vcpu_set_mp_state(RUNNABLE)",
			      (uint64_t)(int64_t)hv_vcpu_set_mp_state(v, HV_MP_STATE_RUNNABLE),
			      HV_OK);
}
