/* SPDX-License-Identifier: MIT */
/* Helpers shared by the multiprocessor scenarios (see mp_util.h). */
#include "mp_util.h"

#include "../guest/payload.h"

/* Host waits for another vCPU: long enough for a QEMU TCG processor. */
#define HOST_WAIT_PAUSES 2000000u
/* After a mailbox is taken, time for the target to act on it. */
#define SETTLE_PAUSES 2000u
#define SYNC_DRAIN 0xffu

static char need_reason[64];

const char *conf_mp_need_cpus(uint32_t n)
{
	uint32_t have = arch_cpu_count();

	if (have >= n)
		return NULL;
	hv_snprintf(need_reason, sizeof(need_reason), "needs %u processors; the platform has %u",
		    n, have);
	return need_reason;
}

const char *conf_mp_need2(void)
{
	return conf_mp_need_cpus(2);
}

const char *conf_mp_need4(void)
{
	return conf_mp_need_cpus(4);
}

static void put_le(uint8_t *p, uint64_t v, unsigned bytes)
{
	for (unsigned i = 0; i < bytes; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

uint32_t *conf_mp_u32(struct conf_mp *m, const uint8_t *label)
{
	return hv_guest_ptr(&m->guest, hv_guest_addr(&m->guest, (size_t)(label - m->payload.start)));
}

/* The trampoline at CONF_MP_TRAMP_PA with its parameters (mp.S). */
static void place_trampoline(struct conf_mp *m, const struct conf_mp_guest *g)
{
	uint8_t *page = arch_phys_to_virt(CONF_MP_TRAMP_PA);
	uint8_t *params = page + (mp_tramp_params - mp_tramp_start);

	hv_memset(page, 0, 4096);
	hv_memcpy(page, mp_tramp_start, (size_t)(mp_tramp_end - mp_tramp_start));
	put_le(params + 0, m->guest.gdt_limit, 2);
	put_le(params + 2, m->guest.gdt_base, 4);
	put_le(params + 16, hv_guest_addr(&m->guest, (size_t)(g->ap64 - g->payload.start)), 4);
	put_le(params + 24, m->guest.cr3, 4);
	*conf_mp_u32(m, g->sipi_vector) = CONF_MP_SIPI_VECTOR;
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

/* Host polls another vCPU's MP state from processor 0. */
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

/*
 * MARK_APIC_IDS: the APIC ID of the processor each vCPU runs on, once it
 * runs (hv_mp_processor_setup published it before its first entry), for a
 * guest that owns the APICs (hv/vm.h). False if some vCPU never got there.
 */
static bool give_apic_ids(struct conf_mp *m, struct hv_vm *vm, uint64_t table)
{
	uint32_t *ids = hv_guest_ptr(&m->guest, table);

	for (uint32_t i = 0; i < vm->nr_vcpus; i++) {
		struct hv_vcpu *t = vm->vcpus[i];
		uint32_t n = 0;

		while (i && !__atomic_load_n(&t->in_guest, __ATOMIC_ACQUIRE) && ++n < HOST_WAIT_PAUSES)
			arch_cpu_pause();
		if (n >= HOST_WAIT_PAUSES)
			return false;
		ids[i] = __atomic_load_n(&t->host_apic_id, __ATOMIC_ACQUIRE);
	}
	return true;
}

static void record_bad(struct conf_mp *m, struct hv_vcpu *vcpu, const struct hv_exit *exit)
{
	uint32_t none = 0;

	/* The first one wins; any processor may get here. */
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
	    (mark != MARK_SYNC && mark != MARK_DONE && mark != MARK_APIC_IDS)) {
		record_bad(m, vcpu, exit);
		return false;
	}
	if (mark == MARK_APIC_IDS) {
		if (give_apic_ids(m, vm, exit->hypercall.args[0]))
			return true;
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
	/* Let every AP reach its final state before the VM stops. */
	for (uint32_t i = 1; i < vm->nr_vcpus; i++)
		wait_state(vm->vcpus[i], m->done_wait);
	m->done = true;
	hv_vm_stop(vm);
	return false;
}

bool conf_mp_setup_guest(struct conf_ctx *ctx, struct conf_mp *m, uint32_t nr_vcpus,
			 const struct conf_mp_guest *g, const uint8_t *entry)
{
	struct conf_payload p = g->payload;
	struct hv_guest_config gc = {
		.payload = p.start,
		.payload_len = (size_t)(p.end - p.start),
		.entry = (size_t)(entry - p.start),
		.common_handler = HV_GUEST_BUILTIN,
	};
	struct hv_vm_config vc = {
		.nr_vcpus = nr_vcpus,
		.use_npt = g->use_npt,
		.apic_passthrough = g->apic_passthrough,
		.on_exit = on_exit,
		.on_mp_state = record_state,
	};
	int rc;

	hv_memset(m, 0, sizeof(*m));
	m->ctx = ctx;
	m->payload = p;
	m->done_wait = HV_MP_STATE_HALTED;
	vc.arg = m;
	rc = hv_cpu_enable();
	if (rc) {
		conf_error(ctx, "hv_cpu_enable: %s", hv_strerror(rc));
		return false;
	}
	if (g->use_npt) {
		rc = hv_ram_alloc(&m->ram, CONF_MP_RAM_SIZE);
		if (rc == HV_OK)
			rc = hv_ram_add(&m->ram, CONF_MP_TRAMP_PA, 4096);
		if (rc) {
			conf_error(ctx, "the VM's RAM: %s", hv_strerror(rc));
			return false;
		}
		gc.ram = &m->ram;
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
	place_trampoline(m, g);
	return true;
}

bool conf_mp_setup(struct conf_ctx *ctx, struct conf_mp *m, uint32_t nr_vcpus,
		   const uint8_t *entry)
{
	static const struct conf_mp_guest g = {
		.payload = { mp_guest_start, mp_guest_end, mp_guest_entry },
		.ap64 = mp_guest_ap64,
		.sipi_vector = mp_guest_sipi_vector,
	};

	return conf_mp_setup_guest(ctx, m, nr_vcpus, &g, entry);
}

bool conf_mp_run(struct conf_mp *m)
{
	int rc = hv_vm_run(&m->vm);

	if (rc) {
		conf_error(m->ctx, "hv_vm_run: %s", hv_strerror(rc));
		return false;
	}
	if (__atomic_load_n(&m->bad_claimed, __ATOMIC_ACQUIRE)) {
		if (m->bad.reason == HV_EXIT_HYPERCALL &&
		    (m->bad.hypercall.nr & 0xffffffffull) == MARK_TIMEOUT)
			conf_fail(m->ctx, "vCPU %u: a bounded guest wait ran out (MARK_TIMEOUT)",
				  m->bad_vcpu);
		else
			conf_fail(m->ctx,
				  "vCPU %u: unexpected exit %s (%s, raw reason %#llx, RAX/nr %#llx)",
				  m->bad_vcpu, hv_exit_reason_name(m->bad.reason),
				  hv_exit_kind_name(m->bad.kind),
				  (unsigned long long)m->bad.raw.reason,
				  (unsigned long long)m->bad.hypercall.nr);
		return false;
	}
	return conf_check_true(m->ctx, "vCPU 0 reached its final VMMCALL", m->done);
}

static const char *state_name(uint32_t s)
{
	switch (s) {
	case HV_MP_STATE_RUNNABLE:
		return "RUNNABLE";
	case HV_MP_STATE_UNINITIALIZED:
		return "UNINITIALIZED";
	case HV_MP_STATE_INIT_RECEIVED:
		return "INIT_RECEIVED";
	case HV_MP_STATE_HALTED:
		return "HALTED";
	}
	return "?";
}

static void format_states(char *buf, size_t size, const uint32_t *s, uint32_t n)
{
	size_t len = 0;

	buf[0] = 0;
	for (uint32_t i = 0; i < n && i < CONF_MP_MAX_STATES && len < size; i++)
		len += (size_t)hv_snprintf(buf + len, size - len, "%s%s", i ? " > " : "",
					   state_name(s[i]));
}

void conf_mp_check_states(struct conf_mp *m, uint32_t id, const uint32_t *want, uint32_t n)
{
	char got[160], exp[160];
	bool same = m->nstates[id] == n;

	for (uint32_t i = 0; same && i < n; i++)
		same = m->states[id][i] == want[i];
	format_states(got, sizeof(got), m->states[id], m->nstates[id]);
	format_states(exp, sizeof(exp), want, n);
	if (!same)
		conf_fail(m->ctx, "vCPU %u MP states: got %s, want %s", id, got, exp);
	else
		conf_check_true(m->ctx, "MP states", true);
}

bool conf_mp_start_vcpu(struct conf_ctx *ctx, struct hv_vm *vm, struct hv_ram *ram, uint32_t id,
			uint64_t rip)
{
	struct hv_vcpu *v = hv_vm_vcpu(vm, id);
	uint64_t stack = hv_ram_take(ram, 1);

	if (!v || !stack) {
		conf_error(ctx, "vCPU %u: no vCPU or no RAM for its stack", id);
		return false;
	}
	hv_vcpu_set_rip(v, rip);
	hv_vcpu_set_gpr(v, HV_GPR_RSP, stack + 4096);
	return conf_check_u64(ctx, "hv_vcpu_set_mp_state(RUNNABLE)",
			      (uint64_t)(int64_t)hv_vcpu_set_mp_state(v, HV_MP_STATE_RUNNABLE),
			      HV_OK);
}
