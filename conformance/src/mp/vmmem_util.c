/* SPDX-License-Identifier: MIT */
/* Helpers shared by the VM-memory scenarios (see vmmem_util.h). */
#include "vmmem_util.h"

#include "x86/cpu.h"

#define PAGE_SIZE 4096ull
#define ENTRY_ADDR 0x000ffffffffff000ull
/* The guest's own tables: present, writable, accessed (APM vol. 2 §5.4). */
#define GUEST_TABLE (X86_PTE_P | X86_PTE_W | X86_PTE_A)
#define GUEST_PAGE (X86_PTE_P | X86_PTE_W | X86_PTE_A | X86_PTE_D)
/* The processor may set these in the nested tables as it walks them (§15.25.5). */
#define NPT_AD (X86_PTE_A | X86_PTE_D)
#define IOPM_BYTES (3 * PAGE_SIZE)
#define MSRPM_BYTES (2 * PAGE_SIZE)
#define FNV_OFFSET 0xcbf29ce484222325ull
#define FNV_PRIME 0x100000001b3ull
#define CANARY 0x6b6e6f776e6d656dull

static uint64_t fnv(uint64_t h, const void *p, uint64_t n)
{
	const uint8_t *b = p;

	for (uint64_t i = 0; i < n; i++)
		h = (h ^ b[i]) * FNV_PRIME;
	return h;
}

static void fill_canary(uint64_t pa)
{
	uint64_t *p = arch_phys_to_virt(pa);

	for (unsigned i = 0; i < PAGE_SIZE / 8; i++)
		p[i] = CANARY ^ (pa + i * 8);
}

bool conf_vmmem_setup(struct conf_ctx *ctx, struct conf_vmmem *v, uint32_t nr_vcpus,
		      const uint64_t *sizes, unsigned n, const uint8_t *entry,
		      hv_vm_exit_fn on_exit, void *arg)
{
	struct hv_guest_config gc = {
		.payload = vmmem_guest_start,
		.payload_len = (size_t)(vmmem_guest_end - vmmem_guest_start),
		.entry = (size_t)(entry - vmmem_guest_start),
		.common_handler = HV_GUEST_BUILTIN,
		.ram = &v->ram,
	};
	struct hv_vm_config vc = {
		.nr_vcpus = nr_vcpus, .use_npt = true, .on_exit = on_exit, .arg = arg,
	};
	int rc;

	hv_memset(v, 0, sizeof(*v));
	v->ctx = ctx;
	rc = hv_svm_enable();
	if (rc) {
		conf_error(ctx, "hv_svm_enable: %s", hv_strerror(rc));
		return false;
	}
	v->canary[0] = arch_page_alloc();
	/* A failed allocation takes nothing, so the next size may still fit. */
	rc = HV_EINVAL;
	for (unsigned i = 0; i < n && rc; i++)
		rc = hv_ram_alloc(&v->ram, sizes[i]);
	v->canary[1] = arch_page_alloc();
	if (rc || !v->canary[0] || !v->canary[1]) {
		conf_error(ctx, "%llu KiB of RAM for the VM: %s",
			   (unsigned long long)(n ? sizes[n - 1] >> 10 : 0),
			   hv_strerror(rc ? rc : HV_ENOMEM));
		return false;
	}
	fill_canary(v->canary[0]);
	fill_canary(v->canary[1]);
	rc = hv_guest_build(&v->guest, &gc);
	if (rc) {
		conf_error(ctx, "hv_guest_build: %s", hv_strerror(rc));
		return false;
	}
	rc = hv_vm_create(&v->vm, &vc, &v->guest);
	if (rc) {
		conf_error(ctx, "hv_vm_create: %s", hv_strerror(rc));
		return false;
	}
	v->vcpu = hv_vm_vcpu(&v->vm, 0);
	return true;
}

bool conf_vmmem_start(struct conf_vmmem *v, uint32_t id, const uint8_t *label)
{
	return conf_mp_start_vcpu(v->ctx, &v->vm, &v->ram, id, conf_vmmem_addr(v, label));
}

uint64_t conf_vmmem_addr(const struct conf_vmmem *v, const uint8_t *label)
{
	return hv_guest_addr(&v->guest, (size_t)(label - vmmem_guest_start));
}

uint64_t *conf_vmmem_u64(const struct conf_vmmem *v, const uint8_t *label)
{
	return hv_guest_ptr(&v->guest, conf_vmmem_addr(v, label));
}

static unsigned shift_of(int level)
{
	return 12u + 9u * (unsigned)(level - 1);
}

uint64_t *conf_vmmem_guest_entry(struct conf_vmmem *v, uint64_t gva, int level)
{
	uint64_t table = v->guest.cr3 & ENTRY_ADDR;

	for (int l = 4;; l--) {
		uint64_t *e;

		/* Only the VM's own tables are followed. */
		if (!hv_ram_contains(&v->ram, table, PAGE_SIZE))
			return NULL;
		e = (uint64_t *)arch_phys_to_virt(table) + ((gva >> shift_of(l)) & 511);
		if (l == level)
			return e;
		if (!(*e & X86_PTE_P)) {
			uint64_t pa = hv_ram_take(&v->ram, 1);

			if (!pa)
				return NULL;
			*e = pa | GUEST_TABLE;
		} else if (*e & X86_PTE_PS) {
			return NULL;
		}
		table = *e & ENTRY_ADDR;
	}
}

bool conf_vmmem_map(struct conf_vmmem *v, uint64_t gva, uint64_t gpa)
{
	uint64_t *pte = conf_vmmem_guest_entry(v, gva, 1);

	if (!pte)
		return false;
	*pte = (gpa & ENTRY_ADDR) | GUEST_PAGE;
	return true;
}

/* Every table under `table` (a level-`level` table), A and D aside. */
static uint64_t npt_digest(uint64_t h, uint64_t table, int level)
{
	const uint64_t *t = arch_phys_to_virt(table);

	for (unsigned i = 0; i < 512; i++) {
		uint64_t e = t[i] & ~NPT_AD;

		h = fnv(h, &e, sizeof(e));
		if (level > 1 && (e & X86_PTE_P) && !(e & X86_PTE_PS))
			h = npt_digest(h, e & ENTRY_ADDR, level - 1);
	}
	return h;
}

void conf_vmmem_host_state(const struct conf_vmmem *v, struct conf_vmmem_host *h)
{
	/* The SVM backend's: the VMCB of vCPU 0 and the VM's nested tables. */
	const struct vmcb_control_area *c = &hv_svm_vmcb(v->vcpu)->control;

	h->npt = npt_digest(FNV_OFFSET, hv_svm_npt(&v->vm)->root, 4);
	h->controls = fnv(FNV_OFFSET, c->intercepts, sizeof(c->intercepts));
	h->controls = fnv(h->controls, &c->iopm_base_pa, sizeof(c->iopm_base_pa));
	h->controls = fnv(h->controls, &c->msrpm_base_pa, sizeof(c->msrpm_base_pa));
	h->controls = fnv(h->controls, &c->asid, sizeof(c->asid));
	h->controls = fnv(h->controls, &c->nested_ctl, sizeof(c->nested_ctl));
	h->controls = fnv(h->controls, &c->nested_cr3, sizeof(c->nested_cr3));
	h->perm_maps = fnv(FNV_OFFSET, arch_phys_to_virt(c->iopm_base_pa), IOPM_BYTES);
	h->perm_maps = fnv(h->perm_maps, arch_phys_to_virt(c->msrpm_base_pa), MSRPM_BYTES);
	h->canaries = fnv(FNV_OFFSET, arch_phys_to_virt(v->canary[0]), PAGE_SIZE);
	h->canaries = fnv(h->canaries, arch_phys_to_virt(v->canary[1]), PAGE_SIZE);
}

struct npt_audit {
	const struct hv_ram *ram;
	uint64_t mapped, first_stray;
};

/* Every present leaf under table, which maps from gpa on (APM vol. 2 §15.25.5). */
static void npt_audit(struct npt_audit *a, uint64_t table, int level, uint64_t gpa)
{
	const uint64_t *t = arch_phys_to_virt(table);
	unsigned shift = 12 + 9 * (unsigned)(level - 1);

	for (uint64_t i = 0; i < 512; i++) {
		uint64_t e = t[i], at = gpa | i << shift, size = 1ull << shift;

		if (!(e & X86_PTE_P))
			continue;
		/* A PML4E is never a leaf; a PDPTE or PDE is one with PS set. */
		if (level == 4 || (level > 1 && !(e & X86_PTE_PS))) {
			npt_audit(a, e & ENTRY_ADDR, level - 1, at);
			continue;
		}
		a->mapped += size;
		if ((!hv_ram_contains(a->ram, at, size) || (e & ENTRY_ADDR & ~(size - 1)) != at) &&
		    a->first_stray == ~0ull)
			a->first_stray = at;
	}
}

void conf_vmmem_check_npt(const struct conf_vmmem *v)
{
	struct npt_audit a = { .ram = &v->ram, .first_stray = ~0ull };

	npt_audit(&a, hv_svm_npt(&v->vm)->root, 4, 0);
	conf_check_u64(v->ctx, "first guest-physical address the nested tables map other than "
			       "a RAM slot onto itself (none: all ones)", a.first_stray, ~0ull);
	conf_check_u64(v->ctx, "bytes the nested tables map", a.mapped, hv_ram_size(&v->ram));
}

void conf_vmmem_check_host(const struct conf_vmmem *v, const struct conf_vmmem_host *before)
{
	struct conf_vmmem_host after;

	conf_vmmem_host_state(v, &after);
	conf_check_u64(v->ctx, "digest of the nested tables", after.npt, before->npt);
	conf_check_u64(v->ctx, "digest of the VMCB's intercepts, IOPM/MSRPM bases, ASID, nested_ctl "
			       "and nested_cr3", after.controls, before->controls);
	conf_check_u64(v->ctx, "digest of the IOPM and the MSRPM", after.perm_maps,
		       before->perm_maps);
	conf_check_u64(v->ctx, "digest of the host pages beside the RAM", after.canaries,
		       before->canaries);
}
