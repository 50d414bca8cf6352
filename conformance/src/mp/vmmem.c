/* SPDX-License-Identifier: MIT */
/*
 * A VM with nested paging owns its RAM and nothing else (hv/ram.h,
 * hv/vm.h): its guest scans the guest-physical space below 4 GiB and some
 * of it above, and only its RAM and the emulated xAPIC page answer, while
 * the host finds that its nested tables map the RAM and nothing else;
 * and its guest writes and reads back every page of a large RAM under
 * nested paging.
 */
#include "vmmem_util.h"
#include "x86/apic.h"
#include "x86/svm.h"

#define PAGE_SIZE 4096ull
#define LOW_END (4ull << 30)
#define MIB (1ull << 20)
/*
 * Below 4 GiB the scan touches every page where the platform has memory
 * (an identity mapping of host memory, the defect this guards against,
 * shows there) and from MMIO_LOW up, where platforms put their devices;
 * between them the first page of every 2 MiB (a stray large page). That
 * the nested tables map nothing else at all, the host checks itself.
 */
#define MMIO_LOW (LOW_END - 32 * MIB)
#define SPARSE_STEP (2 * MIB)
/* Where the scan's guest sees the samples: above what the guest builder maps. */
#define SAMPLE_GVA (6ull << 30)
#define MAX_SAMPLES 8u
/* The virtual APIC's version register: version 14h, highest LVT entry 5 (hv/vlapic.h). */
#define VLAPIC_VERSION 0x00050014u
#define XCHG_LEN 2u
/*
 * exit_info_1 (§15.25.6): the #PF error-code bits P and US (every access
 * is a user access at the nested level, §15.25.5), and which of the final
 * address and the guest's own table walk faulted. Not RW: an exchange
 * both reads and writes, and the manual does not say which of the two a
 * fault on it reports (QEMU and the model report the read).
 */
#define NPF_BITS (SVM_NPF_P | SVM_NPF_US | SVM_NPF_FINAL | SVM_NPF_TABLE)
#define NPF_USER_FINAL (SVM_NPF_US | SVM_NPF_FINAL)

static const uint64_t scan_ram[] = { MIB };
/* The walk takes the largest RAM the platform can give, in steps of 8 MiB. */
#define WALK_RAM_MAX (256 * MIB)
#define WALK_RAM_MIN (32 * MIB)
#define WALK_RAM_STEP (8 * MIB)
#define WALK_RAM_SIZES ((WALK_RAM_MAX - WALK_RAM_MIN) / WALK_RAM_STEP + 1)

/* What each vCPU's exit handler keeps; only its own processor writes it. */
struct scan_vcpu {
	uint64_t next, end;    /* the next page of its share that must fault, and the end */
	unsigned sample;       /* then (vCPU 0) the samples that faulted so far */
	uint64_t faults;
	bool done;
};

struct scan {
	struct conf_vmmem v;
	uint32_t nr_vcpus;
	uint64_t xchg;                   /* guest address of the XCHG */
	uint64_t dense_top;              /* every page below it is scanned */
	uint64_t samples[MAX_SAMPLES];   /* guest-physical, above 4 GiB */
	unsigned nsamples;
	struct scan_vcpu vcpu[CONF_VMMEM_SCAN_VCPUS];
	uint32_t bad_claimed;            /* the first vCPU to see something wrong says what */
	char bad[200];
};

/* From page p on, the first the scan touches (as guest/vmmem.S steps). */
static uint64_t scanned(const struct scan *s, uint64_t p)
{
	if (p >= s->dense_top && p < MMIO_LOW)
		p = (p + SPARSE_STEP - 1) & ~(SPARSE_STEP - 1);
	return p;
}

/* From page p on, the first touched before `end` that is neither the VM's RAM nor the xAPIC page. */
static uint64_t skip_owned(const struct scan *s, uint64_t p, uint64_t end)
{
	p = scanned(s, p);
	while (p < end && (hv_ram_contains(&s->v.ram, p, PAGE_SIZE) || p == APIC_DEFAULT_BASE))
		p = scanned(s, p + PAGE_SIZE);
	return p;
}

/* The end of the platform's memory below MMIO_LOW, rounded up to SPARSE_STEP. */
static uint64_t platform_memory_top(void)
{
	for (uint64_t p = MMIO_LOW; p > 0; p -= PAGE_SIZE)
		if (arch_phys_to_virt(p - PAGE_SIZE))
			return (p + SPARSE_STEP - 1) & ~(SPARSE_STEP - 1);
	return 0;
}

static bool all_done(struct scan *s)
{
	for (uint32_t i = 0; i < s->nr_vcpus; i++)
		if (!__atomic_load_n(&s->vcpu[i].done, __ATOMIC_ACQUIRE))
			return false;
	return true;
}

/* The first vCPU to see something wrong says what; every loop then ends. */
static bool scan_bad(struct scan *s, struct hv_vm *vm, const char *msg)
{
	uint32_t none = 0;

	if (__atomic_compare_exchange_n(&s->bad_claimed, &none, 1, false, __ATOMIC_ACQ_REL,
					__ATOMIC_RELAXED))
		hv_snprintf(s->bad, sizeof(s->bad), "%s", msg);
	hv_vm_stop(vm);
	return false;
}

static bool scan_exit(struct hv_vm *vm, struct hv_vcpu *vcpu, struct hv_exit *exit, void *arg)
{
	struct scan *s = arg;
	struct scan_vcpu *me = &s->vcpu[vcpu->id];
	uint64_t mark = exit->hypercall.nr & 0xffffffffull, want, rip = hv_vcpu_get_rip(vcpu);
	char msg[sizeof(s->bad)];

	if (exit->reason == HV_EXIT_HYPERCALL && mark == MARK_DONE) {
		__atomic_store_n(&me->done, true, __ATOMIC_RELEASE);
		/* vCPU 0's loop ending stops the VM: not before the others are done. */
		if (vcpu->id == 0)
			while (!all_done(s) && !__atomic_load_n(&s->bad_claimed, __ATOMIC_ACQUIRE) &&
			       !hv_vm_stopped(vm))
				arch_cpu_pause();
		return false;
	}
	if (exit->reason == HV_EXIT_HYPERCALL && mark == MARK_AFTER) {
		hv_snprintf(msg, sizeof(msg),
			    "vCPU %u: the XCHG at guest-virtual %#llx completed without #NPF",
			    vcpu->id, (unsigned long long)exit->hypercall.args[0]);
		return scan_bad(s, vm, msg);
	}
	if (exit->reason != HV_EXIT_INTERNAL_ERROR ||
	    exit->internal.suberror != HV_INTERNAL_UNEXPECTED_EXIT ||
	    exit->kind != HV_EXIT_KIND_GPA_FAULT) {
		hv_snprintf(msg, sizeof(msg),
			    "vCPU %u: unexpected exit %s (exit_code %#llx) at RIP %#llx", vcpu->id,
			    hv_exit_reason_name(exit->reason), (unsigned long long)exit->raw.reason,
			    (unsigned long long)rip);
		return scan_bad(s, vm, msg);
	}
	want = me->next < me->end ? me->next
				  : vcpu->id == 0 && me->sample < s->nsamples ? s->samples[me->sample]
									      : ~0ull;
	/* The #NPF's own words (exit.raw) for the bits only SVM has. */
	if (rip != s->xchg || exit->info.gpa_fault.gpa != want ||
	    (exit->raw.info1 & NPF_BITS) != NPF_USER_FINAL) {
		hv_snprintf(msg, sizeof(msg),
			    "vCPU %u: #NPF at RIP %#llx with exit_info_1 %#llx, exit_info_2 %#llx; "
			    "want the XCHG at %#llx, P clear, US and final address, GPA %#llx",
			    vcpu->id, (unsigned long long)rip,
			    (unsigned long long)exit->raw.info1,
			    (unsigned long long)exit->raw.info2, (unsigned long long)s->xchg,
			    (unsigned long long)want);
		return scan_bad(s, vm, msg);
	}
	if (me->next < me->end)
		me->next = skip_owned(s, me->next + PAGE_SIZE, me->end);
	else
		me->sample++;
	me->faults++;
	/* The guest's sign that the access faulted; resume after the XCHG. */
	hv_vcpu_set_gpr(vcpu, HV_GPR_RCX, 1);
	hv_vcpu_set_rip(vcpu, rip + XCHG_LEN);
	return true;
}

/*
 * Pages above 4 GiB, up to the last one four-level nested tables could map
 * below 2^MAXPHYADDR: the first, one inside a 2 MiB page, one at 64 GiB,
 * one under the next PML4 entry (512 GiB), and the last.
 */
static void pick_samples(struct scan *s)
{
	struct hv_svm_caps caps;
	uint64_t top, cand[5];

	hv_svm_caps(&caps);
	top = 1ull << (caps.maxphyaddr < 48 ? caps.maxphyaddr : 48);
	cand[0] = LOW_END;
	cand[1] = LOW_END + 2 * MIB + 5 * PAGE_SIZE;
	cand[2] = 64ull << 30;
	cand[3] = 512ull << 30;
	cand[4] = top - PAGE_SIZE;
	for (unsigned i = 0; i < 5; i++)
		if (cand[i] < top && (s->nsamples == 0 || cand[i] > s->samples[s->nsamples - 1]))
			s->samples[s->nsamples++] = cand[i];
}

/* Each vCPU's share of 0-4 GiB, in its registers; vCPU 0 does the samples too. */
static bool share_out(struct scan *s)
{
	uint64_t pages = LOW_END / PAGE_SIZE;

	for (uint32_t i = 0; i < s->nr_vcpus; i++) {
		struct hv_vcpu *c = hv_vm_vcpu(&s->v.vm, i);
		struct scan_vcpu *me = &s->vcpu[i];
		uint64_t from = pages * i / s->nr_vcpus * PAGE_SIZE;

		me->end = pages * (i + 1) / s->nr_vcpus * PAGE_SIZE;
		me->next = skip_owned(s, from, me->end);
		hv_vcpu_set_gpr(c, HV_GPR_RDI, scanned(s, from));
		hv_vcpu_set_gpr(c, HV_GPR_RDX, me->end);
		hv_vcpu_set_gpr(c, HV_GPR_RSI, i == 0);
		hv_vcpu_set_gpr(c, HV_GPR_RBX, i);
		if (i && !conf_vmmem_start(&s->v, i, vmmem_guest_scan))
			return false;
	}
	return true;
}

/* The guest-physical space below 4 GiB and beyond — Expect: only the VM's RAM answers */
CONF_SCENARIO(svm_vmmem_scan, "svm core npt vmmem",
	      "Expect: the nested tables of a VM map its RAM onto itself and nothing else; a "
	      "guest of the VM, its vCPUs (one per processor, up to four) sharing the work, "
	      "exchanges a value (XCHG: a read and a write) with every page of guest-physical "
	      "memory below 4 GiB where the platform has memory, every page from 4 GiB - 32 MiB "
	      "up, the first page of every 2 MiB between, and pages above 4 GiB (4 GiB, 4 GiB + "
	      "2 MiB + 20 KiB, 64 GiB, 512 GiB, the last below 2^MAXPHYADDR): every page but its "
	      "own RAM and the xAPIC page is #VMEXIT(NPF), P clear, US and the final-address bit "
	      "set, exit_info_2 = the page, each handed to the caller in turn; afterwards the "
	      "nested tables, the VMCB's controls, the IOPM and MSRPM and the host pages on "
	      "either side of the RAM are unchanged, and each vCPU reads the xAPIC version "
	      "(00050014h) and reaches its last VMMCALL",
	      "APM vol. 2 §15.25.5, §15.25.6; hv/ram.h, hv/vm.h", conf_npt_unsupported)
{
	struct scan s;
	struct conf_vmmem_host before;
	uint64_t want, faults = 0, *samples;
	char name[64];
	int rc;

	hv_memset(&s, 0, sizeof(s));
	s.nr_vcpus = arch_cpu_count() < CONF_VMMEM_SCAN_VCPUS ? arch_cpu_count()
							     : CONF_VMMEM_SCAN_VCPUS;
	if (!conf_vmmem_setup(ctx, &s.v, s.nr_vcpus, scan_ram, 1, vmmem_guest_scan, scan_exit, &s))
		return;
	conf_vmmem_check_npt(&s.v);
	s.xchg = conf_vmmem_addr(&s.v, vmmem_guest_xchg);
	s.dense_top = platform_memory_top();
	*conf_vmmem_u64(&s.v, vmmem_guest_dense_top) = s.dense_top;
	pick_samples(&s);
	samples = conf_vmmem_u64(&s.v, vmmem_guest_samples);
	for (unsigned i = 0; i < s.nsamples; i++) {
		samples[i] = SAMPLE_GVA + i * PAGE_SIZE;
		if (!conf_vmmem_map(&s.v, samples[i], s.samples[i])) {
			conf_error(ctx, "no RAM left for the guest's page tables");
			return;
		}
	}
	*conf_vmmem_u64(&s.v, vmmem_guest_nsamples) = s.nsamples;
	*conf_vmmem_u64(&s.v, vmmem_guest_ram_base) = s.v.ram.slots[0].base;
	*conf_vmmem_u64(&s.v, vmmem_guest_ram_size) = s.v.ram.slots[0].size;
	if (!share_out(&s))
		return;
	conf_vmmem_host_state(&s.v, &before);

	rc = hv_vm_run(&s.v.vm);
	if (!conf_check_u64(ctx, "hv_vm_run", (uint64_t)(int64_t)rc, HV_OK))
		return;
	if (__atomic_load_n(&s.bad_claimed, __ATOMIC_ACQUIRE)) {
		conf_fail(ctx, "%s", s.bad);
		return;
	}
	for (uint32_t i = 0; i < s.nr_vcpus; i++) {
		hv_snprintf(name, sizeof(name), "vCPU %u reached its last VMMCALL", i);
		if (!conf_check_true(ctx, name, s.vcpu[i].done))
			return;
		hv_snprintf(name, sizeof(name), "vCPU %u: pages the guest saw fault", i);
		conf_check_u64(ctx, name, conf_vmmem_u64(&s.v, vmmem_guest_faulted)[i],
			       s.vcpu[i].faults);
		hv_snprintf(name, sizeof(name), "vCPU %u: xAPIC version read after the scan", i);
		conf_check_u64(ctx, name, ((const uint32_t *)conf_vmmem_u64(&s.v,
									  vmmem_guest_version))[i],
			       VLAPIC_VERSION);
		faults += s.vcpu[i].faults;
	}
	/* Every page scanned below 4 GiB but the RAM and the xAPIC page, and the samples. */
	want = s.nsamples;
	for (uint64_t p = skip_owned(&s, 0, LOW_END); p < LOW_END;
	     p = skip_owned(&s, p + PAGE_SIZE, LOW_END))
		want++;
	conf_check_u64(ctx, "#NPF exits handed to the caller", faults, want);
	conf_vmmem_check_host(&s.v, &before);
}

static bool walk_exit(struct hv_vm *vm, struct hv_vcpu *vcpu, struct hv_exit *exit, void *arg)
{
	bool *done = arg;

	(void)vm;
	(void)vcpu;
	*done = exit->reason == HV_EXIT_HYPERCALL &&
		(exit->hypercall.nr & 0xffffffffull) == MARK_DONE;
	return false;
}

/* Every page of a large RAM under nested paging — Expect: each keeps what was written */
CONF_SCENARIO(svm_vmmem_walk_large_ram, "svm core npt vmmem",
	      "Expect: a guest of a VM with nested paging whose RAM is the largest the platform "
	      "can give of 256, 248, ... 32 MiB writes every 4 KiB page of it that the guest "
	      "builder left free (its own address at offset 0, the complement at "
	      "4088), then reads every one back unchanged, with no exit on the way; the host "
	      "finds the same values, and the host pages on either side of the RAM are unchanged",
	      "APM vol. 2 §15.25.1, §15.25.5; hv/ram.h", conf_npt_unsupported)
{
	struct conf_vmmem v;
	struct conf_vmmem_host before;
	uint64_t sizes[WALK_RAM_SIZES], from, to, bad = 0;
	bool done = false;
	int rc;

	for (unsigned i = 0; i < WALK_RAM_SIZES; i++)
		sizes[i] = WALK_RAM_MAX - i * WALK_RAM_STEP;
	if (!conf_vmmem_setup(ctx, &v, 1, sizes, WALK_RAM_SIZES, vmmem_guest_walk, walk_exit, &done))
		return;
	from = v.ram.slots[0].base + v.ram.taken;
	to = v.ram.slots[0].base + v.ram.slots[0].size;
	*conf_vmmem_u64(&v, vmmem_guest_walk_from) = from;
	*conf_vmmem_u64(&v, vmmem_guest_walk_to) = to;
	conf_vmmem_host_state(&v, &before);

	rc = hv_vm_run(&v.vm);
	if (!conf_check_u64(ctx, "hv_vm_run", (uint64_t)(int64_t)rc, HV_OK) ||
	    !conf_check_true(ctx, "the guest's first exit is its last VMMCALL", done))
		return;
	conf_check_u64(ctx, "pages the guest read back", *conf_vmmem_u64(&v, vmmem_guest_walk_pages),
		       (to - from) / PAGE_SIZE);
	conf_check_u64(ctx, "pages that did not keep what the guest wrote",
		       *conf_vmmem_u64(&v, vmmem_guest_walk_bad), 0);
	for (uint64_t pa = from; pa < to; pa += PAGE_SIZE) {
		const uint64_t *p = arch_phys_to_virt(pa);

		bad += p[0] != pa || p[PAGE_SIZE / 8 - 1] != ~pa;
	}
	conf_check_u64(ctx, "pages the host finds without the guest's values", bad, 0);
	conf_vmmem_check_host(&v, &before);
}
