/* SPDX-License-Identifier: MIT */
/*
 * EPT (SDM vol. 3C §29.3): a guest whose guest-physical addresses go
 * through EPT paging structures, with the EPT violations (exit reason 48,
 * qualification table 28-7, guest-physical and guest-linear address
 * §28.2.1) and misconfigurations (49) its accesses meet, 2 MiB and 1 GiB
 * pages, the accessed and dirty flags (§29.3.5), and VM entry's checks on
 * the EPT pointer (§27.2.1.1).
 *
 * The guest's own paging maps the first 4 GiB one to one, so an address
 * below 4 GiB is guest-linear and guest-physical at once. Qualification
 * bits 9-11 (advanced VM-exit information) and 12 (NMI unblocking) are not
 * looked at.
 */
#include "ept_util.h"
#include "vmx_guest.h"
#include "x86/cpu.h"

#define QUAL_SEEN 0x1ffull /* qualification bits 8:0 */
#define HIGH_GPA  0xc0000000ull /* in the 4th GiB: no memory the guest was built in */
#define MARKER    0x5a5a0123a5a5cdefull

static const char *ad_unsupported(void)
{
	const char *why = conf_vmx_ept_unsupported();
	struct conf_vmx_caps c;

	if (why)
		return why;
	(void)conf_vmx_read_caps(&c);
	return (c.ept_vpid & VMX_EPT_AD) ? NULL :
					   "IA32_VMX_EPT_VPID_CAP[21] (EPT accessed and dirty flags) = 0";
}

static const char *page_2m_unsupported(void)
{
	const char *why = conf_vmx_ept_unsupported();
	struct conf_vmx_caps c;

	if (why)
		return why;
	(void)conf_vmx_read_caps(&c);
	return (c.ept_vpid & VMX_EPT_2MB_PAGE) ? NULL :
						 "IA32_VMX_EPT_VPID_CAP[16] (2-MByte EPT pages) = 0";
}

static const char *page_1g_unsupported(void)
{
	const char *why = conf_vmx_ept_unsupported();
	struct conf_vmx_caps c;

	if (why)
		return why;
	(void)conf_vmx_read_caps(&c);
	return (c.ept_vpid & VMX_EPT_1GB_PAGE) ? NULL :
						 "IA32_VMX_EPT_VPID_CAP[17] (1-GByte EPT pages) = 0";
}

/* VMX set-up, identity EPT and a data page of the guest's for the access under test. */
static bool ept_setup(struct conf_ctx *ctx, struct conf_vmx *s, struct conf_ept *e, bool ad,
		      uint64_t *page)
{
	if (!CONF_VMX_SETUP(ctx, s, vmx_guest) || !conf_ept_identity(ctx, s, e, ad))
		return false;
	*page = arch_page_alloc();
	if (!*page || *page >= (4ull << 30)) {
		conf_error(ctx, "no page below 4 GiB for the data under test");
		return false;
	}
	*(uint64_t *)arch_phys_to_virt(*page) = MARKER;
	return true;
}

/* Runs the guest from start with RBX = addr and expects exit `reason` at insn. */
static bool run_access(struct conf_ctx *ctx, struct conf_vmx *s, const uint8_t *start,
		       uint64_t addr, uint32_t reason, uint64_t rip)
{
	s->gprs.rbx = addr;
	s->gprs.rcx = 0;
	conf_vmx_start_at(s, start);
	if (!conf_vmx_run_expect(ctx, s, reason, "VMLAUNCH"))
		return false;
	conf_check_u64(ctx, "guest RIP (at the access)", s->exit.rip, rip);
	return true;
}

/* An EPT violation's qualification (bits 8:0), guest-physical and guest-linear address. */
static void check_violation(struct conf_ctx *ctx, struct conf_vmx *s, uint64_t qual,
			    uint64_t gpa, uint64_t gla)
{
	conf_check_u64(ctx, "exit qualification bits 8:0", s->exit.qualification & QUAL_SEEN,
		       qual);
	conf_check_u64(ctx, "guest-physical address", s->exit.guest_physical, gpa);
	conf_check_u64(ctx, "guest-linear address", s->exit.guest_linear, gla);
}

CONF_SCENARIO(vmx_ept_identity_runs, "vmx ept",
	      "Expect: a guest under EPT runs to its VMCALL, and a guest-physical page the EPT "
	      "sends to another physical page reads that page's contents",
	      "SDM vol. 3C §29.3, §29.3.2", conf_vmx_ept_unsupported)
{
	struct conf_vmx s;
	struct conf_ept e;
	uint64_t page, other, *pte;

	if (!ept_setup(ctx, &s, &e, false, &page))
		goto out;
	other = arch_page_alloc();
	pte = conf_ept_pte(&e, page);
	if (!other || !pte) {
		conf_error(ctx, "no memory for a second page or an EPT page table");
		goto out;
	}
	*(uint64_t *)arch_phys_to_virt(other) = ~MARKER;
	*pte = other | CONF_EPT_WB | CONF_EPT_RWX;
	s.gprs.rbx = page;
	conf_vmx_start_at(&s, vmx_guest_ept_read_insn);
	if (conf_vmx_run_to_mark(ctx, &s, MARK_AFTER, "VMLAUNCH (read through the EPT)"))
		conf_check_u64(ctx, "what the guest read at the remapped page", s.gprs.rcx,
			       ~MARKER);
out:
	conf_vmx_off(&s);
}

CONF_SCENARIO(vmx_ept_violation_read, "vmx ept",
	      "Expect: a data read of a page whose EPT PTE is not present (bits 2:0 = 0) is VM "
	      "exit EPT violation (48) with RIP at the read, qualification 0x181 (read, no "
	      "rights, linear address valid and translated), the guest-physical and -linear "
	      "address of the byte read",
	      "SDM vol. 3C §29.3.3.2, §28.2.1 table 28-7", conf_vmx_ept_unsupported)
{
	struct conf_vmx s;
	struct conf_ept e;
	uint64_t page, *pte;

	if (!ept_setup(ctx, &s, &e, false, &page))
		goto out;
	if (!(pte = conf_ept_pte(&e, page))) {
		conf_error(ctx, "no memory for an EPT page table");
		goto out;
	}
	*pte = 0;
	if (run_access(ctx, &s, vmx_guest_ept_read_insn, page + 0x128, VMX_EXIT_EPT_VIOLATION,
		       conf_vmx_addr(&s, vmx_guest_ept_read_insn)))
		check_violation(ctx, &s,
				EPT_VIOLATION_DATA_READ | EPT_VIOLATION_GLA_VALID |
					EPT_VIOLATION_GLA_TRANSLATED,
				page + 0x128, page + 0x128);
out:
	conf_vmx_off(&s);
}

CONF_SCENARIO(vmx_ept_violation_write_read_only, "vmx ept",
	      "Expect: a data write to a page EPT maps read-only is VM exit EPT violation (48), "
	      "qualification 0x18a (write, readable, linear address valid and translated), "
	      "the address written; the page is unchanged",
	      "SDM vol. 3C §29.3.3.2, §28.2.1 table 28-7", conf_vmx_ept_unsupported)
{
	struct conf_vmx s;
	struct conf_ept e;
	uint64_t page, *pte;

	if (!ept_setup(ctx, &s, &e, false, &page))
		goto out;
	if (!(pte = conf_ept_pte(&e, page))) {
		conf_error(ctx, "no memory for an EPT page table");
		goto out;
	}
	*pte = page | CONF_EPT_WB | CONF_EPT_R;
	if (run_access(ctx, &s, vmx_guest_ept_write_insn, page + 0x40, VMX_EXIT_EPT_VIOLATION,
		       conf_vmx_addr(&s, vmx_guest_ept_write_insn))) {
		check_violation(ctx, &s,
				EPT_VIOLATION_DATA_WRITE | EPT_VIOLATION_READABLE |
					EPT_VIOLATION_GLA_VALID | EPT_VIOLATION_GLA_TRANSLATED,
				page + 0x40, page + 0x40);
		conf_check_u64(ctx, "the read-only page after the write",
			       *(uint64_t *)arch_phys_to_virt(page + 0x40), 0);
	}
out:
	conf_vmx_off(&s);
}

CONF_SCENARIO(vmx_ept_violation_fetch_no_execute, "vmx ept",
	      "Expect: an instruction fetch from a page EPT maps readable and writable but not "
	      "executable is VM exit EPT violation (48) with RIP at the target, qualification "
	      "0x19c (fetch, readable, writable, linear address valid and translated)",
	      "SDM vol. 3C §29.3.3.2, §28.2.1 table 28-7", conf_vmx_ept_unsupported)
{
	struct conf_vmx s;
	struct conf_ept e;
	uint64_t page, *pte;

	if (!ept_setup(ctx, &s, &e, false, &page))
		goto out;
	if (!(pte = conf_ept_pte(&e, page))) {
		conf_error(ctx, "no memory for an EPT page table");
		goto out;
	}
	*pte = page | CONF_EPT_WB | CONF_EPT_R | CONF_EPT_W;
	if (run_access(ctx, &s, vmx_guest_ept_fetch_insn, page + 0x10, VMX_EXIT_EPT_VIOLATION,
		       page + 0x10))
		check_violation(ctx, &s,
				EPT_VIOLATION_INSN_FETCH | EPT_VIOLATION_READABLE |
					EPT_VIOLATION_WRITABLE | EPT_VIOLATION_GLA_VALID |
					EPT_VIOLATION_GLA_TRANSLATED,
				page + 0x10, page + 0x10);
out:
	conf_vmx_off(&s);
}

CONF_SCENARIO(vmx_ept_violation_guest_paging, "vmx ept",
	      "Expect: a data read whose own page walk meets a guest page directory EPT leaves "
	      "not present is VM exit EPT violation (48), qualification 0x81 (read, linear "
	      "address valid, bit 8 clear: an access to a guest paging-structure entry), the "
	      "guest-physical address of that entry, the guest-linear address read",
	      "SDM vol. 3C §29.3.3.2, §28.2.1 table 28-7", conf_vmx_ept_unsupported)
{
	struct conf_vmx s;
	struct conf_ept e;
	uint64_t page, pd, *pte;

	if (!ept_setup(ctx, &s, &e, false, &page))
		goto out;
	/* The guest's page directory of its 4th GiB (hv/guest.h: four, contiguous). */
	pd = s.guest.pd_pa + 3 * 4096;
	if (!(pte = conf_ept_pte(&e, pd))) {
		conf_error(ctx, "no memory for an EPT page table");
		goto out;
	}
	*pte = 0;
	if (run_access(ctx, &s, vmx_guest_ept_read_insn, HIGH_GPA + 0x208, VMX_EXIT_EPT_VIOLATION,
		       conf_vmx_addr(&s, vmx_guest_ept_read_insn)))
		check_violation(ctx, &s, EPT_VIOLATION_DATA_READ | EPT_VIOLATION_GLA_VALID, pd,
				HIGH_GPA + 0x208);
out:
	conf_vmx_off(&s);
}

CONF_SCENARIO(vmx_ept_misconfig_write_only, "vmx ept",
	      "Expect: a data read of a page whose EPT PTE allows write but not read is VM exit "
	      "EPT misconfiguration (49) with RIP at the read and the guest-physical address of "
	      "the byte read",
	      "SDM vol. 3C §29.3.3.1, §28.2.1", conf_vmx_ept_unsupported)
{
	struct conf_vmx s;
	struct conf_ept e;
	uint64_t page, *pte;

	if (!ept_setup(ctx, &s, &e, false, &page))
		goto out;
	if (!(pte = conf_ept_pte(&e, page))) {
		conf_error(ctx, "no memory for an EPT page table");
		goto out;
	}
	*pte = page | CONF_EPT_WB | CONF_EPT_W;
	if (run_access(ctx, &s, vmx_guest_ept_read_insn, page + 0x300, VMX_EXIT_EPT_MISCONFIG,
		       conf_vmx_addr(&s, vmx_guest_ept_read_insn)))
		conf_check_u64(ctx, "guest-physical address", s.exit.guest_physical, page + 0x300);
out:
	conf_vmx_off(&s);
}

/* Reads HIGH_GPA + offset and expects the marker of the data page. */
static void read_marker(struct conf_ctx *ctx, struct conf_vmx *s, uint64_t offset)
{
	s->gprs.rbx = HIGH_GPA + offset;
	conf_vmx_start_at(s, vmx_guest_ept_read_insn);
	if (conf_vmx_run_to_mark(ctx, s, MARK_AFTER, "VMLAUNCH (read through the large page)"))
		conf_check_u64(ctx, "what the guest read through the large page", s->gprs.rcx,
			       MARKER);
}

CONF_SCENARIO(vmx_ept_page_2m, "vmx ept",
	      "Expect: an EPT PDE with bit 7 set maps a 2 MiB page: guest-physical 3 GiB + n "
	      "reads physical address (frame of the PDE) + n",
	      "SDM vol. 3C §29.3.2 table 29-4", page_2m_unsupported)
{
	struct conf_vmx s;
	struct conf_ept e;
	uint64_t page;

	if (!ept_setup(ctx, &s, &e, false, &page))
		goto out;
	*conf_ept_entry(&e, HIGH_GPA, 2) =
		(page & ~0x1fffffull) | CONF_EPT_PS | CONF_EPT_WB | CONF_EPT_RWX;
	read_marker(ctx, &s, page & 0x1fffffull);
out:
	conf_vmx_off(&s);
}

CONF_SCENARIO(vmx_ept_page_1g, "vmx ept",
	      "Expect: an EPT PDPTE with bit 7 set maps a 1 GiB page: guest-physical 3 GiB + n "
	      "reads physical address (frame of the PDPTE) + n",
	      "SDM vol. 3C §29.3.2 table 29-2", page_1g_unsupported)
{
	struct conf_vmx s;
	struct conf_ept e;
	uint64_t page;

	if (!ept_setup(ctx, &s, &e, false, &page))
		goto out;
	*conf_ept_entry(&e, HIGH_GPA, 3) =
		(page & ~0x3fffffffull) | CONF_EPT_PS | CONF_EPT_WB | CONF_EPT_RWX;
	read_marker(ctx, &s, page & 0x3fffffffull);
out:
	conf_vmx_off(&s);
}

CONF_SCENARIO(vmx_ept_accessed_dirty, "vmx ept",
	      "Expect: with EPTP bit 6 set, a guest read sets the accessed flag of the EPT PTE "
	      "it used and leaves its dirty flag clear; a write sets both; the PML4E used has "
	      "its accessed flag set",
	      "SDM vol. 3C §29.3.5", ad_unsupported)
{
	struct conf_vmx s;
	struct conf_ept e;
	uint64_t page, other, *rd, *wr;

	if (!ept_setup(ctx, &s, &e, true, &page))
		goto out;
	other = arch_page_alloc();
	rd = conf_ept_pte(&e, page);
	wr = other ? conf_ept_pte(&e, other) : NULL;
	if (!rd || !wr) {
		conf_error(ctx, "no memory for a second page or an EPT page table");
		goto out;
	}
	s.gprs.rbx = page;
	conf_vmx_start_at(&s, vmx_guest_ept_read_insn);
	if (!conf_vmx_run_to_mark(ctx, &s, MARK_AFTER, "VMLAUNCH (read)"))
		goto out;
	conf_check_u64(ctx, "read page's EPT PTE: accessed, dirty",
		       *rd & (CONF_EPT_ACCESSED | CONF_EPT_DIRTY), CONF_EPT_ACCESSED);
	s.gprs.rbx = other;
	conf_vmx_start_at(&s, vmx_guest_ept_write_insn);
	if (!conf_vmx_run_to_mark(ctx, &s, MARK_AFTER, "VMRESUME (write)"))
		goto out;
	conf_check_u64(ctx, "written page's EPT PTE: accessed, dirty",
		       *wr & (CONF_EPT_ACCESSED | CONF_EPT_DIRTY),
		       CONF_EPT_ACCESSED | CONF_EPT_DIRTY);
	conf_check_u64(ctx, "EPT PML4E: accessed",
		       *(uint64_t *)arch_phys_to_virt(e.pml4) & CONF_EPT_ACCESSED,
		       CONF_EPT_ACCESSED);
out:
	conf_vmx_off(&s);
}

/* VMLAUNCH with the EPT pointer's bits 5:0 replaced by low: VMfailValid(7). */
static void bad_eptp(struct conf_ctx *ctx, uint64_t low)
{
	struct conf_vmx s;
	struct conf_ept e;
	uint64_t page;

	if (ept_setup(ctx, &s, &e, false, &page)) {
		conf_vmx_w(&s, EPT_POINTER, (e.eptp & ~0x3full) | low);
		conf_vmx_check(ctx, "VMLAUNCH", conf_vmx_enter(ctx, &s),
			       VMX_OUT_FAIL_VALID(VMXERR_ENTRY_INVALID_CONTROL_FIELD));
	}
	conf_vmx_off(&s);
}

CONF_SCENARIO(vmx_ept_eptp_bad_memtype, "vmx ept",
	      "Expect: VMLAUNCH with EPT pointer memory type 1 (WC, never allowed) is "
	      "VMfailValid(7: VM entry with invalid control field(s))",
	      "SDM vol. 3C §27.2.1.1, §25.6.11", conf_vmx_ept_unsupported)
{
	bad_eptp(ctx, 1 | (3u << 3));
}

CONF_SCENARIO(vmx_ept_eptp_bad_walk_length, "vmx ept",
	      "Expect: VMLAUNCH with EPT pointer bits 5:3 = 1 (a 2-level walk) is "
	      "VMfailValid(7: VM entry with invalid control field(s))",
	      "SDM vol. 3C §27.2.1.1, §25.6.11", conf_vmx_ept_unsupported)
{
	bad_eptp(ctx, 6 | (1u << 3));
}

CONF_SCENARIO(vmx_ept_violation_delivering_event, "vmx ept",
	      "Expect: an external interrupt (vector 0x20) injected at VM entry whose IDT "
	      "descriptor lies on a page EPT leaves not present is VM exit EPT violation (48) "
	      "with IDT-vectoring information 0x80000020, qualification 0x181, the "
	      "guest-physical and -linear address of the descriptor, RIP at the guest's entry",
	      "SDM vol. 3C §27.6.1.1, §28.2.1 table 28-7, §28.2.4", conf_vmx_ept_unsupported)
{
	struct conf_vmx s;
	struct conf_ept e;
	uint64_t page, desc, *pte;

	if (!ept_setup(ctx, &s, &e, false, &page))
		goto out;
	desc = s.guest.idt_base + 0x20 * 16;
	if (!(pte = conf_ept_pte(&e, desc))) {
		conf_error(ctx, "no memory for an EPT page table");
		goto out;
	}
	*pte = 0;
	/* §27.3.1.4: an external interrupt is injected only with RFLAGS.IF = 1. */
	conf_vmx_w(&s, GUEST_RFLAGS, X86_RFLAGS_FIXED | X86_RFLAGS_IF);
	conf_vmx_w(&s, VM_ENTRY_INTR_INFO_FIELD,
		   vmx_intr_info(INTR_TYPE_EXTERNAL_INTERRUPT, 0x20));
	if (!conf_vmx_run_expect(ctx, &s, VMX_EXIT_EPT_VIOLATION, "VMLAUNCH"))
		goto out;
	conf_check_u64(ctx, "IDT-vectoring information", s.exit.idt_info,
		       vmx_intr_info(INTR_TYPE_EXTERNAL_INTERRUPT, 0x20));
	conf_check_u64(ctx, "guest RIP (the entry's)", s.exit.rip, s.guest.entry);
	check_violation(ctx, &s,
			EPT_VIOLATION_DATA_READ | EPT_VIOLATION_GLA_VALID |
				EPT_VIOLATION_GLA_TRANSLATED,
			desc, desc);
out:
	conf_vmx_off(&s);
}
