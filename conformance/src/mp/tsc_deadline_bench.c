/* SPDX-License-Identifier: MIT */
/*
 * TSC-deadline timer round trips through the hv core (conf/bench.h): the
 * tsc_guest payload's bench entry on a VM of one vCPU, with the exit
 * fastpath on or off (hv/vm.h).
 */
#include "conf/bench.h"
#include "../guest/payload.h"
#include "hv/lib.h"
#include "hv/vm.h"
#include "tsc_deadline.h"
#include "x86/cpu.h"

/* At most this many: the guest counts its interrupts in 32 bits. */
#define MAX_TRIPS 0x7fffffffull

struct bench_run {
	struct hv_guest guest;
	struct hv_vm vm;
	bool done;
	struct hv_exit last;
};

static uint64_t guest_addr(struct bench_run *b, const uint8_t *label)
{
	return hv_guest_addr(&b->guest, (size_t)(label - tsc_guest_start));
}

static bool on_exit(struct hv_vm *vm, struct hv_vcpu *vcpu, struct hv_exit *exit, void *arg)
{
	struct bench_run *b = arg;

	(void)vcpu;
	b->done = exit->reason == HV_EXIT_HYPERCALL &&
		  (exit->hypercall.nr & 0xffffffffull) == MARK_DONE;
	b->last = *exit;
	hv_vm_stop(vm);
	return false;
}

uint64_t conf_tsc_deadline_roundtrips(uint64_t n, bool fastpath, uint64_t *fastpath_exits,
				      char *why, size_t whylen)
{
	static struct bench_run b;
	struct hv_guest_config gc = {
		.payload = tsc_guest_start,
		.payload_len = (size_t)(tsc_guest_end - tsc_guest_start),
		.entry = (size_t)(tsc_guest_bench - tsc_guest_start),
		.common_handler = HV_GUEST_BUILTIN,
	};
	struct hv_vm_config vc = {
		.nr_vcpus = 1, .no_exit_fastpath = !fastpath, .on_exit = on_exit, .arg = &b,
	};
	struct hv_backend_caps caps;
	int rc;

	*fastpath_exits = 0;
	hv_memset(&b, 0, sizeof(b));
	if (n == 0 || n > MAX_TRIPS) {
		hv_snprintf(why, whylen, "%llu round trips: 1 to %llu", (unsigned long long)n,
			    MAX_TRIPS);
		return 0;
	}
	if (!hv_backend_probe(&caps) || !caps.guest_timer) {
		hv_snprintf(why, whylen, "no backend with a guest timer here (the VMX preemption "
					 "timer)");
		return 0;
	}
	if ((rc = hv_cpu_enable()) != HV_OK || (rc = hv_guest_build(&b.guest, &gc)) != HV_OK) {
		hv_snprintf(why, whylen, "setting up: %s", hv_strerror(rc));
		return 0;
	}
	hv_guest_set_gate(&b.guest, TIMER_VECTOR, guest_addr(&b, tsc_guest_timer_handler));
	hv_guest_set_gate(&b.guest, X86_VEC_GP, guest_addr(&b, tsc_guest_gp_handler));
	*(uint64_t *)hv_guest_ptr(&b.guest, guest_addr(&b, tsc_guest_bench_n)) = n;
	if ((rc = hv_vm_create(&b.vm, &vc, &b.guest)) != HV_OK || (rc = hv_vm_run(&b.vm)) != HV_OK) {
		hv_snprintf(why, whylen, "the VM: %s", hv_strerror(rc));
		return 0;
	}
	*fastpath_exits = b.vm.vcpus[0]->stats.fastpath_exits;
	if (!b.done)
		hv_snprintf(why, whylen, "the guest stopped with exit %s (%s, raw %#llx)",
			    hv_exit_reason_name(b.last.reason), hv_exit_kind_name(b.last.kind),
			    (unsigned long long)b.last.raw.reason);
	return *(uint32_t *)hv_guest_ptr(&b.guest, guest_addr(&b, tsc_guest_irq_count));
}
