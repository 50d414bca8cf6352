/* SPDX-License-Identifier: MIT */
/*
 * trace-cmd report and perf script text to records (import.h). The formats
 * are the TP_printk strings of arch/x86/kvm/trace.h as Linux v4.19.48,
 * v5.15.85 and v6.8 have them, the handlers of libtraceevent's
 * plugins/plugin_kvm.c (which trace-cmd and perf load and which replace the
 * kernel's text for kvm_exit, kvm_entry, kvm_nested_vmexit and
 * kvm_nested_vmexit_inject), and the line start trace-cmd report
 * ("comm-pid [cpu] secs.usecs: event:") and perf script ("comm pid [cpu]
 * secs.usecs: kvm:event:") print. The tables of names are the kernel's
 * SVM_EXIT_REASONS and VMX_EXIT_REASONS (arch/x86/include/uapi/asm/svm.h,
 * vmx.h) of the same versions, the plugin's, and the APM's.
 *
 * Nothing is copied: a line is read in place, one whitespace-separated token
 * at a time, and only a line a mailer wrapped is put together in a buffer.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "vxtrace/dump.h"
#include "vxtrace/import.h"
#include "x86/svm.h"

/* A mailer wraps lines of about 72 characters; longer ones are not rejoined. */
#define JOIN_MAX 4096
/* Lines a broken event line may continue on. */
#define JOIN_LINES 8
/* Host threads remembered with their vCPU; more threads lose the inference. */
#define TID_SLOTS 1024
/* Tokens an exit reason may take ("PF excp", "INVALID_STATE FAILED_VMENTRY"). */
#define REASON_TOKENS 4

/* VM-exit reason bit 31: VM entry failure (SDM vol. 3 §28.2.1). */
#define VMX_FAILED_VMENTRY (1u << 31)

enum isa { ISA_ANY, ISA_VMX, ISA_SVM };

struct tok {
	const char *p;
	size_t n;
};

struct scan {
	const char *s;
	size_t n, pos;
};

/* ---- tokens ----------------------------------------------------------------- */

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static bool next_tok(struct scan *sc, struct tok *t)
{
	while (sc->pos < sc->n && is_blank(sc->s[sc->pos]))
		sc->pos++;
	if (sc->pos >= sc->n)
		return false;
	t->p = sc->s + sc->pos;
	while (sc->pos < sc->n && !is_blank(sc->s[sc->pos]))
		sc->pos++;
	t->n = (size_t)(sc->s + sc->pos - t->p);
	return true;
}

static bool peek_tok(const struct scan *sc, struct tok *t)
{
	struct scan c = *sc;

	return next_tok(&c, t);
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool tok_is(struct tok t, const char *s)
{
	return t.n == strlen(s) && memcmp(t.p, s, t.n) == 0;
}

static bool tok_is_ci(struct tok t, const char *s)
{
	if (t.n != strlen(s))
		return false;
	for (size_t i = 0; i < t.n; i++) {
		if (lower(t.p[i]) != lower(s[i]))
			return false;
	}
	return true;
}

static bool tok_starts_ci(struct tok t, const char *s)
{
	size_t n = strlen(s);

	return t.n >= n && tok_is_ci((struct tok){ t.p, n }, s);
}

static struct tok tok_from(struct tok t, size_t skip)
{
	return (struct tok){ t.p + skip, t.n - skip };
}

/* The value tokens of the vmgexit and kvm_entry formats end in a comma. */
static struct tok strip_comma(struct tok t)
{
	if (t.n && t.p[t.n - 1] == ',')
		t.n--;
	return t;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = lower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static bool is_hex_literal(struct tok t)
{
	return t.n > 2 && t.p[0] == '0' && lower(t.p[1]) == 'x';
}

/* Hex digits, with or without 0x; false past width bits. */
static bool parse_hex(struct tok t, unsigned width, uint64_t *out)
{
	uint64_t v = 0;
	size_t i = 0;

	if (t.n >= 2 && t.p[0] == '0' && lower(t.p[1]) == 'x')
		i = 2;
	if (i == t.n)
		return false;
	for (; i < t.n; i++) {
		int d = hex_digit(t.p[i]);

		if (d < 0 || v >> 60)
			return false;
		v = v << 4 | (uint64_t)d;
	}
	if (width < 64 && v >> width)
		return false;
	*out = v;
	return true;
}

static bool parse_dec(struct tok t, unsigned width, uint64_t *out)
{
	uint64_t v = 0;

	if (t.n == 0)
		return false;
	for (size_t i = 0; i < t.n; i++) {
		unsigned d = (unsigned)(t.p[i] - '0');

		if (d > 9 || v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	if (width < 64 && v >> width)
		return false;
	*out = v;
	return true;
}

/* An int printed with %d, kept sign-extended. */
static bool parse_int32(struct tok t, uint64_t *out)
{
	bool neg = t.n && t.p[0] == '-';
	uint64_t mag;

	if (!parse_dec(neg ? tok_from(t, 1) : t, 32, &mag) ||
	    mag > (neg ? 0x80000000u : 0x7fffffffu))
		return false;
	*out = neg ? (uint64_t)-(int64_t)mag : mag;
	return true;
}

/* "(123)": the plugin's decimal for an exit reason it has no name for. */
static bool parse_paren_dec(struct tok t, uint64_t *out)
{
	if (t.n < 3 || t.p[0] != '(' || t.p[t.n - 1] != ')')
		return false;
	return parse_dec((struct tok){ t.p + 1, t.n - 2 }, 64, out);
}

/* ---- the line start --------------------------------------------------------- */

/* "secs.frac:", frac being microseconds or nanoseconds. */
static bool parse_time(struct tok t, uint64_t *ns)
{
	size_t dot = 0, i;
	uint64_t sec, frac;

	if (t.n < 4 || t.p[t.n - 1] != ':')
		return false;
	while (dot < t.n && t.p[dot] != '.')
		dot++;
	if (dot == 0 || dot >= t.n - 2 || t.n - 2 - dot > 9)
		return false;
	if (!parse_dec((struct tok){ t.p, dot }, 64, &sec) ||
	    !parse_dec((struct tok){ t.p + dot + 1, t.n - 2 - dot }, 64, &frac))
		return false;
	for (i = t.n - 2 - dot; i < 9; i++)
		frac *= 10;
	if (sec > (UINT64_MAX - frac) / 1000000000u)
		return false;
	*ns = sec * 1000000000u + frac;
	return true;
}

/* "[002]": the host CPU. */
static bool parse_cpu_col(struct tok t, uint32_t *cpu)
{
	uint64_t v;

	if (t.n < 3 || t.p[0] != '[' || t.p[t.n - 1] != ']' ||
	    !parse_dec((struct tok){ t.p + 1, t.n - 2 }, 32, &v))
		return false;
	*cpu = (uint32_t)v;
	return true;
}

/*
 * The thread: trace-cmd's "comm-tid" (comm may hold dashes and spaces:
 * "CPU 0/KVM-4242"), perf's "pid" or "pid/tid".
 */
static bool parse_tid(struct tok t, uint32_t *tid)
{
	size_t i = t.n;
	uint64_t v;

	while (i > 0 && t.p[i - 1] >= '0' && t.p[i - 1] <= '9')
		i--;
	if (i == t.n)
		return false;
	if (i > 0 && t.p[i - 1] != '-' && t.p[i - 1] != '/')
		return false;
	if (!parse_dec(tok_from(t, i), 31, &v))
		return false;
	*tid = (uint32_t)v;
	return true;
}

struct header {
	uint64_t time;
	struct tok name; /* the event, without "kvm:" and the colon */
	bool have_cpu, have_tid;
	uint32_t cpu, tid;
	size_t time_at;  /* offsets of the timestamp, */
	size_t cpu_at;   /* of the CPU column (when there is one), */
	size_t payload;  /* of what the event printed */
};

/*
 * The event is the first token ending in ':' right after a timestamp. The
 * CPU column comes up to three tokens before the timestamp (ftrace's
 * latency flags and perf's misc field may sit between), the thread right
 * before the CPU.
 */
static bool find_header(const char *s, size_t n, struct header *h)
{
	struct scan sc = { s, n, 0 };
	struct tok ring[5], t;
	size_t nr = 0;

	memset(h, 0, sizeof(*h));
	while (next_tok(&sc, &t)) {
		if (nr && t.n > 1 && t.p[t.n - 1] == ':' && parse_time(ring[0], &h->time)) {
			h->name = (struct tok){ t.p, t.n - 1 };
			if (tok_starts_ci(h->name, "kvm:"))
				h->name = tok_from(h->name, 4);
			h->payload = sc.pos;
			h->time_at = (size_t)(ring[0].p - s);
			h->cpu_at = h->time_at;
			for (size_t i = 1; i < nr && i <= 3; i++) {
				if (!parse_cpu_col(ring[i], &h->cpu))
					continue;
				h->have_cpu = true;
				h->cpu_at = (size_t)(ring[i].p - s);
				if (i + 1 < nr)
					h->have_tid = parse_tid(ring[i + 1], &h->tid);
				break;
			}
			return true;
		}
		memmove(ring + 1, ring, sizeof(ring) - sizeof(ring[0]));
		ring[0] = t;
		if (nr < 5)
			nr++;
	}
	return false;
}

/* ---- names ------------------------------------------------------------------ */

struct name_val {
	const char *name;
	uint64_t val;
};

static bool lookup(const struct name_val *tab, size_t n, struct tok t, bool ci, uint64_t *val)
{
	for (size_t i = 0; i < n; i++) {
		if (ci ? tok_is_ci(t, tab[i].name) : tok_is(t, tab[i].name)) {
			*val = tab[i].val;
			return true;
		}
	}
	return false;
}

#define LOOKUP(tab, t, ci, val) lookup(tab, sizeof(tab) / sizeof(tab[0]), t, ci, val)

/* Exception mnemonics (SDM vol. 3 table 6-1); XF is the kernel's for #XM. */
static const struct name_val vectors[] = {
	{ "DE", 0 },  { "DB", 1 },  { "NMI", 2 }, { "BP", 3 },  { "OF", 4 },  { "BR", 5 },
	{ "UD", 6 },  { "NM", 7 },  { "DF", 8 },  { "TS", 10 }, { "NP", 11 }, { "SS", 12 },
	{ "GP", 13 }, { "PF", 14 }, { "MF", 16 }, { "AC", 17 }, { "MC", 18 }, { "XM", 19 },
	{ "XF", 19 }, { "VE", 20 }, { "CP", 21 }, { "HV", 28 }, { "VC", 29 }, { "SX", 30 },
};

/*
 * SVM exit codes under the names the kernel's SVM_EXIT_REASONS, the plugin
 * and the APM print (after "EXIT_"/"VMEXIT_" is cut off) where they are not
 * the names of svm_exits.c, which are tried first. The CR, DR, exception
 * and CR-write-trap families are read by pattern instead.
 */
static const struct name_val svm_names[] = {
	{ "interrupt", 0x060 },
	{ "idtr_read", 0x066 },
	{ "gdtr_read", 0x067 },
	{ "ldtr_read", 0x068 },
	{ "read_tr", 0x069 },
	{ "tr_read", 0x069 },
	{ "idtr_write", 0x06a },
	{ "gdtr_write", 0x06b },
	{ "ldtr_write", 0x06c },
	{ "write_rt", 0x06d },
	{ "tr_write", 0x06d },
	{ "io", 0x07b },
	{ "hypercall", 0x081 },
	{ "write_efer_trap", 0x08f },
	{ "avic_noaccel", 0x402 },
	/* GHCB software exit codes: the table is shared with the vmgexit events. */
	{ "vmgexit_mmio_read", 0x80000001 },
	{ "vmgexit_mmio_write", 0x80000002 },
	{ "vmgexit_nmi_complete", 0x80000003 },
	{ "vmgexit_ap_hlt_loop", 0x80000004 },
	{ "vmgexit_ap_jump_table", 0x80000005 },
	{ "vmgexit_page_state_change", 0x80000010 },
	{ "vmgexit_guest_request", 0x80000011 },
	{ "vmgexit_ext_guest_request", 0x80000012 },
	{ "vmgexit_ap_creation", 0x80000013 },
	{ "vmgexit_hypervisor_feature", 0x8000fffd },
	{ "invalid_guest_state", SVM_EXIT_ERR },
	{ "err", SVM_EXIT_ERR },
	{ "invalid", SVM_EXIT_ERR },
};

/* VMX basic exit reasons (SDM vol. 3 appendix C) as VMX_EXIT_REASONS names them. */
static const struct name_val vmx_names[] = {
	{ "EXCEPTION_NMI", 0 },
	{ "EXTERNAL_INTERRUPT", 1 },
	{ "TRIPLE_FAULT", 2 },
	{ "INIT_SIGNAL", 3 },
	{ "SIPI_SIGNAL", 4 },
	{ "INTERRUPT_WINDOW", 7 },
	{ "PENDING_INTERRUPT", 7 }, /* v4.19's name */
	{ "NMI_WINDOW", 8 },
	{ "TASK_SWITCH", 9 },
	{ "CPUID", 10 },
	{ "HLT", 12 },
	{ "INVD", 13 },
	{ "INVLPG", 14 },
	{ "RDPMC", 15 },
	{ "RDTSC", 16 },
	{ "VMCALL", 18 },
	{ "VMCLEAR", 19 },
	{ "VMLAUNCH", 20 },
	{ "VMPTRLD", 21 },
	{ "VMPTRST", 22 },
	{ "VMREAD", 23 },
	{ "VMRESUME", 24 },
	{ "VMWRITE", 25 },
	{ "VMOFF", 26 },
	{ "VMON", 27 },
	{ "CR_ACCESS", 28 },
	{ "DR_ACCESS", 29 },
	{ "IO_INSTRUCTION", 30 },
	{ "MSR_READ", 31 },
	{ "MSR_WRITE", 32 },
	{ "INVALID_STATE", 33 },
	{ "MSR_LOAD_FAIL", 34 },
	{ "MWAIT_INSTRUCTION", 36 },
	{ "MONITOR_TRAP_FLAG", 37 },
	{ "MONITOR_INSTRUCTION", 39 },
	{ "PAUSE_INSTRUCTION", 40 },
	{ "MCE_DURING_VMENTRY", 41 },
	{ "TPR_BELOW_THRESHOLD", 43 },
	{ "APIC_ACCESS", 44 },
	{ "EOI_INDUCED", 45 },
	{ "GDTR_IDTR", 46 },
	{ "LDTR_TR", 47 },
	{ "EPT_VIOLATION", 48 },
	{ "EPT_MISCONFIG", 49 },
	{ "INVEPT", 50 },
	{ "RDTSCP", 51 },
	{ "PREEMPTION_TIMER", 52 },
	{ "INVVPID", 53 },
	{ "WBINVD", 54 },
	{ "XSETBV", 55 },
	{ "APIC_WRITE", 56 },
	{ "RDRAND", 57 },
	{ "INVPCID", 58 },
	{ "VMFUNC", 59 },
	{ "ENCLS", 60 },
	{ "RDSEED", 61 },
	{ "PML_FULL", 62 },
	{ "XSAVES", 63 },
	{ "XRSTORS", 64 },
	{ "UMWAIT", 67 },
	{ "TPAUSE", 68 },
	{ "BUS_LOCK", 74 },
	{ "NOTIFY", 75 },
};

/* kvm_deliver_mode (include/trace/events/kvm.h): ICR bits 10:8. */
static const struct name_val deliver_modes[] = {
	{ "Fixed", 0 }, { "LowPrio", 1 }, { "SMI", 2 },  { "Res3", 3 },
	{ "NMI", 4 },   { "INIT", 5 },    { "SIPI", 6 }, { "ExtINT", 7 },
};

/* kvm_apic_dst_shorthand (arch/x86/kvm/trace.h): ICR bits 19:18. */
static const struct name_val shorthands[] = {
	{ "dst", 0 },
	{ "self", 1 },
	{ "all", 2 },
	{ "all-but-self", 3 },
};

/* A decimal number 0..max right after a prefix: "cr14" → 14. */
static bool num_after(struct tok t, const char *prefix, uint64_t max, uint64_t *v)
{
	return tok_starts_ci(t, prefix) && parse_dec(tok_from(t, strlen(prefix)), 64, v) &&
	       *v <= max;
}

/* "_suffix" at the end of t: t without it. */
static bool cut_suffix(struct tok t, const char *suffix, struct tok *rest)
{
	size_t n = strlen(suffix);

	if (t.n <= n || !tok_is_ci((struct tok){ t.p + t.n - n, n }, suffix))
		return false;
	*rest = (struct tok){ t.p, t.n - n };
	return true;
}

/* The CR/DR/exception families: read_cr3, CR3_READ, write_cr0_trap, PF_excp, EXCP14. */
static bool svm_family(struct tok t, uint64_t *code)
{
	static const struct {
		const char *pre, *post;
		uint64_t base, max;
	} fam[] = {
		{ "read_cr", NULL, 0x000, 15 },    { "write_cr", "_trap", 0x090, 15 },
		{ "write_cr", NULL, 0x010, 15 },   { "read_dr", NULL, 0x020, 15 },
		{ "write_dr", NULL, 0x030, 15 },   { "cr", "_read", 0x000, 15 },
		{ "cr", "_write_trap", 0x090, 15 }, { "cr", "_write", 0x010, 15 },
		{ "dr", "_read", 0x020, 15 },      { "dr", "_write", 0x030, 15 },
		{ "excp", NULL, SVM_EXIT_EXCP_BASE, 31 },
	};
	struct tok core;
	uint64_t v;

	for (size_t i = 0; i < sizeof(fam) / sizeof(fam[0]); i++) {
		core = t;
		if (fam[i].post && !cut_suffix(t, fam[i].post, &core))
			continue;
		if (num_after(core, fam[i].pre, fam[i].max, &v)) {
			*code = fam[i].base + v;
			return true;
		}
	}
	/* The plugin's EXCP_PF, the APM-style PF_excp. */
	if (tok_starts_ci(t, "excp_") && LOOKUP(vectors, tok_from(t, 5), true, &v)) {
		*code = SVM_EXIT_EXCP_BASE + v;
		return true;
	}
	if (cut_suffix(t, "_excp", &core) && LOOKUP(vectors, core, true, &v)) {
		*code = SVM_EXIT_EXCP_BASE + v;
		return true;
	}
	return false;
}

/* The SVM exit code of toks[0] ("PF excp" takes two tokens). */
static bool svm_reason(const struct tok *toks, size_t ntok, uint64_t *code)
{
	struct tok t = toks[0];
	uint64_t v;

	if (tok_starts_ci(t, "svm_exit_"))
		t = tok_from(t, 9);
	else if (tok_starts_ci(t, "vmexit_"))
		t = tok_from(t, 7);
	else if (tok_starts_ci(t, "exit_"))
		t = tok_from(t, 5);
	if (ntok >= 2 && tok_is_ci(toks[1], "excp") && LOOKUP(vectors, t, true, &v)) {
		*code = SVM_EXIT_EXCP_BASE + v;
		return true;
	}
	if (svm_family(t, code))
		return true;
	if (t.n < 32) {
		char name[32];

		for (size_t i = 0; i < t.n; i++)
			name[i] = lower(t.p[i]);
		name[t.n] = '\0';
		if (vxt_svm_exit_code(name, code))
			return true;
	}
	return LOOKUP(svm_names, t, true, code);
}

/* ---- one line --------------------------------------------------------------- */

struct line_ev {
	struct vxt_record r;
	const struct vxt_kind_info *info;
	bool have_vcpu;
	uint32_t vcpu;
	bool complete;     /* the format's last field was read */
	bool vmx, failed_vmentry, unknown_reason;
	enum isa isa;      /* from an isa= token */
	struct tok reason[REASON_TOKENS];
	size_t nreason;
	bool saw_reason;
};

static void set_word(struct line_ev *e, unsigned i, uint64_t v)
{
	/* Only the words the kind table defines: the model's layout rules. */
	if (i >= VXT_WORDS || !e->info->field[i])
		return;
	e->r.v[i] = v;
	e->r.known |= (uint8_t)(1u << i);
}

enum key_type {
	K_VCPU,      /* decimal: the vCPU */
	K_HEX,       /* hex into word */
	K_DEC,       /* decimal into word */
	K_INT,       /* %d into word, sign-extended */
	K_SKIP_HEX,  /* hex read and dropped: no word for it */
	K_REASON,    /* an exit reason's tokens */
	K_HEX2,      /* two hex values: words word, word + 1 ("info %llx %llx") */
	K_HEX3,      /* three hex values ("intercepts: %08x %08x %08x") */
	K_SPLIT64,   /* a 64-bit value into two 32-bit words ("intercept: %016llx") */
	K_ONOFF,     /* "on"/"off" into word */
	K_VMCS,      /* hex into word; the VMX spelling of vmcb */
};

struct key {
	const char *name;  /* as printed, colon and all */
	uint8_t type;
	uint8_t word;
	uint8_t width;     /* bits the field has */
	bool last;         /* a format ends with this field */
};

#define KEY_END { NULL, 0, 0, 0, false }

/*
 * kvm_exit, kvm_nested_vmexit and kvm_nested_vmexit_inject share the words
 * (kinds.c): v0 reason, v1 rip, v2 info1, v3 info2, v4 intr_info, v5
 * error_code. v4.19 kvm_exit: "reason %s rip 0x%lx info %llx %llx"; v5.15
 * and v6.8 kvm_exit and kvm_nested_vmexit: "vcpu %u reason %s%s%s rip 0x%lx
 * info1 0x%016llx info2 0x%016llx intr_info 0x%08x error_code 0x%08x";
 * v4.19 kvm_nested_vmexit: "rip: 0x%016llx reason: %s ext_inf1: 0x%016llx
 * ext_inf2: 0x%016llx ext_int: 0x%08x ext_int_err: 0x%08x", and
 * kvm_nested_vmexit_inject without the rip in all three; the plugin:
 * "reason %s rip 0x%llx info %llx %llx" and "[rip %llx ]reason %s info1
 * %llx info2 %llx int_info %llx int_info_err %llx".
 */
static const struct key exit_keys[] = {
	{ "vcpu", K_VCPU, 0, 32, false },
	{ "reason", K_REASON, 0, 0, false },
	{ "reason:", K_REASON, 0, 0, false },
	{ "rip", K_HEX, 1, 64, false },
	{ "rip:", K_HEX, 1, 64, false },
	{ "info", K_HEX2, 2, 64, true },
	{ "info1", K_HEX, 2, 64, false },
	{ "ext_inf1:", K_HEX, 2, 64, false },
	{ "info2", K_HEX, 3, 64, false },
	{ "ext_inf2:", K_HEX, 3, 64, false },
	{ "intr_info", K_HEX, 4, 32, false },
	{ "ext_int:", K_HEX, 4, 32, false },
	{ "int_info", K_HEX, 4, 32, false },
	{ "error_code", K_HEX, 5, 32, true },
	{ "ext_int_err:", K_HEX, 5, 32, true },
	{ "int_info_err", K_HEX, 5, 32, true },
	KEY_END,
};

/*
 * kvm_entry: v4.19 "vcpu %u"; v5.15, v6.8 "vcpu %u, rip 0x%lx"; later
 * "vcpu %u, rip 0x%lx%s" with "[immediate exit]"; the plugin " vcpu %u rip
 * 0x%llx".
 */
static const struct key entry_keys[] = {
	{ "vcpu", K_VCPU, 0, 32, false },
	{ "rip", K_HEX, 0, 64, true },
	KEY_END,
};

/*
 * v4.19, v5.15 kvm_nested_vmrun: "rip: 0x%016llx vmcb: 0x%016llx nrip:
 * 0x%016llx int_ctl: 0x%08x event_inj: 0x%08x npt: %s"; v6.8
 * kvm_nested_vmenter: "rip: 0x%016llx %s: 0x%016llx nested_rip: 0x%016llx
 * int_ctl: 0x%08x event_inj: 0x%08x nested_%s=%s %s: 0x%016llx", vmcb or
 * vmcs, npt or ept, nested_cr3, nested_eptp or guest_cr3. The rip is L1's
 * and the page-table root has no word.
 */
static const struct key vmenter_keys[] = {
	{ "rip:", K_SKIP_HEX, 0, 64, false },
	{ "vmcb:", K_HEX, 1, 64, false },
	{ "vmcs:", K_VMCS, 1, 64, false },
	{ "nrip:", K_HEX, 0, 64, false },
	{ "nested_rip:", K_HEX, 0, 64, false },
	{ "int_ctl:", K_HEX, 2, 32, false },
	{ "event_inj:", K_HEX, 3, 32, false },
	{ "npt:", K_ONOFF, 5, 0, true },
	{ "nested_cr3:", K_SKIP_HEX, 0, 64, true },
	{ "nested_eptp:", K_SKIP_HEX, 0, 64, true },
	{ "guest_cr3:", K_SKIP_HEX, 0, 64, true },
	KEY_END,
};

/*
 * v4.19: "cr_read: %04x cr_write: %04x excp: %08x intercept: %016llx", the
 * VMCB's intercept words 3 and 4 as one; v5.15, v6.8: "... intercepts: %08x
 * %08x %08x", words 3, 4 and 5.
 */
static const struct key intercept_keys[] = {
	{ "cr_read:", K_HEX, 0, 16, false },
	{ "cr_write:", K_HEX, 1, 16, false },
	{ "excp:", K_HEX, 4, 32, false },
	{ "intercept:", K_SPLIT64, 5, 64, true },
	{ "intercepts:", K_HEX3, 5, 32, true },
	KEY_END,
};

/* kvm_apic_accept_irq: "apicid %x vec %u (%s|%s)". */
static const struct key accept_keys[] = {
	{ "apicid", K_HEX, 0, 32, false },
	{ "vec", K_DEC, 3, 8, false },
	KEY_END,
};

/*
 * kvm_vmgexit_enter, _exit (v5.15, v6.8): "vcpu %u, exit_reason %llx,
 * exit_info1 %llx, exit_info2 %llx".
 */
static const struct key vmgexit_keys[] = {
	{ "vcpu", K_VCPU, 0, 32, false },
	{ "exit_reason", K_HEX, 0, 64, false },
	{ "exit_info1", K_HEX, 1, 64, false },
	{ "exit_info2", K_HEX, 2, 64, true },
	KEY_END,
};

/* _msr_protocol_enter: "vcpu %u, ghcb_gpa %016llx"; _exit adds ", result %d". */
static const struct key ghcb_enter_keys[] = {
	{ "vcpu", K_VCPU, 0, 32, false },
	{ "ghcb_gpa", K_HEX, 0, 64, true },
	KEY_END,
};

static const struct key ghcb_exit_keys[] = {
	{ "vcpu", K_VCPU, 0, 32, false },
	{ "ghcb_gpa", K_HEX, 0, 64, false },
	{ "result", K_INT, 1, 32, true },
	KEY_END,
};

static const struct key *find_key(const struct key *keys, struct tok t)
{
	for (; keys && keys->name; keys++) {
		if (tok_is(t, keys->name))
			return keys;
	}
	return NULL;
}

/* Tokens no key took: flags, function names, the event's own parts. */
typedef int (*other_fn)(struct line_ev *e, struct scan *sc, struct tok t);

/*
 * Reads one key's value(s). 1: read; 0: the line ended first; -1: a value is
 * not a number of the field's width.
 */
static int read_key(struct line_ev *e, struct scan *sc, const struct key *k)
{
	struct tok t;
	uint64_t v[3];
	int n = k->type == K_HEX2 ? 2 : k->type == K_HEX3 ? 3 : 1;

	if (k->type == K_REASON) {
		e->saw_reason = true;
		e->nreason = 0;
		/* Up to the next field: a reason may take several tokens. */
		while (peek_tok(sc, &t)) {
			if (find_key(exit_keys, t) || tok_starts_ci(t, "isa="))
				break;
			next_tok(sc, &t);
			if (e->nreason < REASON_TOKENS)
				e->reason[e->nreason++] = t;
			else
				e->nreason = REASON_TOKENS + 1;
		}
		return 1;
	}
	for (int i = 0; i < n; i++) {
		struct tok val;
		bool ok;

		if (!next_tok(sc, &t))
			return 0;
		val = strip_comma(t);
		switch (k->type) {
		case K_ONOFF:
			ok = tok_is(val, "on") || tok_is(val, "off");
			v[i] = tok_is(val, "on");
			break;
		case K_VCPU:
		case K_DEC:
			ok = parse_dec(val, k->type == K_VCPU ? 32 : k->width, &v[i]);
			break;
		case K_INT:
			ok = parse_int32(val, &v[i]);
			break;
		default: {
			/* "rip 0x...[immediate exit]": the flag follows the number. */
			const char *br = memchr(val.p, '[', val.n);

			if (br && br > val.p)
				val.n = (size_t)(br - val.p);
			ok = parse_hex(val, k->width, &v[i]);
			break;
		}
		}
		if (!ok)
			return -1;
	}
	switch (k->type) {
	case K_VCPU:
		e->have_vcpu = true;
		e->vcpu = (uint32_t)v[0];
		break;
	case K_SKIP_HEX:
		break;
	case K_VMCS:
		e->vmx = true;
		set_word(e, k->word, v[0]);
		break;
	case K_SPLIT64:
		set_word(e, k->word, v[0] & 0xffffffffu);
		set_word(e, k->word + 1u, v[0] >> 32);
		break;
	default:
		for (int i = 0; i < n; i++)
			set_word(e, k->word + (unsigned)i, v[i]);
		break;
	}
	if (k->last)
		e->complete = true;
	return 1;
}

static int parse_keyed(struct line_ev *e, struct scan *sc, const struct key *keys, other_fn other)
{
	struct tok t;

	while (next_tok(sc, &t)) {
		const struct key *k = find_key(keys, t);
		int rc;

		if (!k) {
			if (other && other(e, sc, t) < 0)
				return -1;
			continue;
		}
		rc = read_key(e, sc, k);
		if (rc <= 0)
			return rc;
	}
	return 0;
}

/* ---- the events ------------------------------------------------------------- */

/* An isa= token (a raw field dump) says how to read the reason. */
static int exit_other(struct line_ev *e, struct scan *sc, struct tok t)
{
	struct tok v;
	uint64_t n;

	(void)sc;
	if (!tok_starts_ci(t, "isa="))
		return 0;
	v = tok_from(t, 4);
	if (tok_is_ci(v, "VMX") || (parse_dec(v, 32, &n) && n == 1))
		e->isa = ISA_VMX;
	else if (tok_is_ci(v, "SVM") || (parse_dec(v, 32, &n) && n == 2))
		e->isa = ISA_SVM;
	return 0;
}

/* A reason printed as a number: the kernel's hex for a code it has no name for. */
static void numeric_reason(struct line_ev *e, uint64_t v)
{
	if (e->isa == ISA_VMX) {
		/* Bits 15:0 basic reason, 31:16 flags (SDM vol. 3 §28.2.1). */
		e->vmx = true;
		e->failed_vmentry = (v & VMX_FAILED_VMENTRY) != 0;
		set_word(e, 0, v & 0xffff);
		return;
	}
	/* KVM's exit_reason field is 32 bits: SVM_EXIT_ERR arrives as 0xffffffff. */
	set_word(e, 0, v == 0xffffffffu ? SVM_EXIT_ERR : v);
}

static void resolve_reason(struct line_ev *e)
{
	const struct tok *r = e->reason;
	uint64_t v;

	if (!e->saw_reason)
		return;
	if (e->nreason == 0 || e->nreason > REASON_TOKENS) {
		e->unknown_reason = true;
		return;
	}
	/* The plugin: "UNKNOWN (%llu)". */
	if (tok_is(r[0], "UNKNOWN") && e->nreason >= 2 && parse_paren_dec(r[1], &v) &&
	    v <= 0xffffffffu) {
		numeric_reason(e, v);
		return;
	}
	if ((is_hex_literal(r[0]) && parse_hex(r[0], 32, &v)) || parse_dec(r[0], 32, &v)) {
		numeric_reason(e, v);
		return;
	}
	/*
	 * KVM prints VMX reasons in capitals and SVM reasons in small letters
	 * (the plugin's SVM names start with EXIT_): capitals are VMX unless
	 * the line says otherwise.
	 */
	if (e->isa != ISA_SVM && LOOKUP(vmx_names, r[0], e->isa == ISA_VMX, &v)) {
		e->vmx = true;
		set_word(e, 0, v);
		/* The flags __print_flags appends: FAILED_VMENTRY. */
		for (size_t i = 1; i < e->nreason; i++) {
			if (tok_is(r[i], "FAILED_VMENTRY"))
				e->failed_vmentry = true;
		}
		return;
	}
	if (e->isa != ISA_VMX && svm_reason(r, e->nreason, &v)) {
		set_word(e, 0, v);
		return;
	}
	e->unknown_reason = true;
}

static int parse_exit(struct line_ev *e, struct scan *sc)
{
	int rc = parse_keyed(e, sc, exit_keys, exit_other);

	resolve_reason(e);
	return rc;
}

static int parse_entry(struct line_ev *e, struct scan *sc)
{
	struct tok t;

	/* v4.19's "vcpu %u" ends there; later formats follow it with a comma. */
	if (peek_tok(sc, &t) && tok_is(t, "vcpu")) {
		struct scan after = *sc;
		struct tok val;

		next_tok(&after, &t);
		if (next_tok(&after, &val) && val.p[val.n - 1] != ',' && !next_tok(&after, &t))
			e->complete = true;
	}
	return parse_keyed(e, sc, entry_keys, NULL);
}

/* v6.8's "nested_npt=y", "nested_ept=n". */
static int vmenter_other(struct line_ev *e, struct scan *sc, struct tok t)
{
	struct tok v;

	(void)sc;
	if (tok_starts_ci(t, "nested_npt="))
		v = tok_from(t, 11);
	else if (tok_starts_ci(t, "nested_ept=")) {
		v = tok_from(t, 11);
		e->vmx = true;
	} else {
		return 0;
	}
	if (!tok_is(v, "y") && !tok_is(v, "n"))
		return -1;
	set_word(e, 5, tok_is(v, "y"));
	return 0;
}

static int parse_vmenter(struct line_ev *e, struct scan *sc)
{
	return parse_keyed(e, sc, vmenter_keys, vmenter_other);
}

static int parse_intercepts(struct line_ev *e, struct scan *sc)
{
	return parse_keyed(e, sc, intercept_keys, NULL);
}

/*
 * v4.19, v5.15: "irq %u"; v6.8: "%s 0x%x%s", IRQ or Soft/INTn, then
 * " [reinjected]". v0 vector, v1 soft, v2 reinjected.
 */
static int parse_inj_virq(struct line_ev *e, struct scan *sc)
{
	struct tok kind, t;
	uint64_t v;
	bool old;

	if (!next_tok(sc, &kind))
		return 0;
	old = tok_is(kind, "irq");
	if (!old && !tok_is(kind, "IRQ") && !tok_is(kind, "Soft/INTn"))
		return -1;
	if (!next_tok(sc, &t))
		return 0;
	if (!(old ? parse_dec(t, 32, &v) : parse_hex(t, 32, &v)))
		return -1;
	set_word(e, 0, v);
	e->complete = true;
	if (!old) {
		set_word(e, 1, tok_is(kind, "Soft/INTn"));
		set_word(e, 2, next_tok(sc, &t) && tok_is(t, "[reinjected]"));
	}
	return 0;
}

/*
 * v4.19: "%s (0x%x)" with 0 for "no error code"; v5.15: "%s (0x%x)%s" with
 * " [reinjected]"; v6.8: "%s%s%s%s%s", the error code in parentheses only
 * when there is one. v0 vector, v1 has_error, v2 error_code, v3 reinjected.
 */
static int parse_inj_exception(struct line_ev *e, struct scan *sc)
{
	struct tok t;
	uint64_t v;
	bool paren = false;

	if (!next_tok(sc, &t))
		return 0;
	/* "#PF", or __print_symbolic's hex for a vector it has no name for. */
	if (t.n > 1 && t.p[0] == '#') {
		if (!LOOKUP(vectors, tok_from(t, 1), false, &v))
			return -1;
	} else if (!(is_hex_literal(t) && parse_hex(t, 8, &v))) {
		return -1;
	}
	set_word(e, 0, v);
	e->complete = true;
	while (next_tok(sc, &t)) {
		if (tok_is(t, "[reinjected]")) {
			set_word(e, 3, 1);
		} else if (t.n > 2 && t.p[0] == '(' && t.p[t.n - 1] == ')' && !paren) {
			if (!parse_hex((struct tok){ t.p + 1, t.n - 2 }, 32, &v))
				return -1;
			paren = true;
			/*
			 * Older kernels print 0 when there is no error code:
			 * only a non-zero one proves there is one. Either way the
			 * word is 0, as the model keeps it without one.
			 */
			set_word(e, 2, v);
			if (v)
				set_word(e, 1, 1);
		}
	}
	if (!paren) {
		/* Only v6.8's format leaves the parentheses out, and it prints the flag. */
		set_word(e, 1, 0);
		set_word(e, 2, 0);
		if (!(e->r.known & (1u << 3)))
			set_word(e, 3, 0);
	}
	return 0;
}

/* "(a|b|...)": the parts between the bars. */
static size_t split_group(struct tok t, struct tok *parts, size_t max)
{
	size_t n = 0, start = 1;

	if (t.n < 2 || t.p[0] != '(' || t.p[t.n - 1] != ')')
		return 0;
	for (size_t i = 1; i < t.n; i++) {
		if (t.p[i] != '|' && i != t.n - 1)
			continue;
		if (n == max)
			return max + 1;
		parts[n++] = (struct tok){ t.p + start, i - start };
		start = i + 1;
	}
	return n;
}

/*
 * kvm_apic_ipi's group: delivery mode, logical/physical, assert/de-assert,
 * level/edge, shorthand; with the vector they are the ICR's low word less
 * the delivery-status bit, which software does not write (SDM vol. 3
 * §11.6.1).
 */
static int parse_apic_ipi(struct line_ev *e, struct scan *sc)
{
	struct tok t, parts[6];
	uint64_t dm, sh, vec = 0;
	bool have_vec = false;

	while (next_tok(sc, &t)) {
		if (tok_is(t, "dst")) {
			if (!next_tok(sc, &t))
				return 0;
			if (!parse_hex(t, 32, &dm))
				return -1;
			set_word(e, 0, dm);
		} else if (tok_is(t, "vec")) {
			if (!next_tok(sc, &t))
				return 0;
			if (!parse_dec(t, 8, &vec))
				return -1;
			have_vec = true;
		} else if (t.n && t.p[0] == '(') {
			if (split_group(t, parts, 5) != 5 ||
			    !LOOKUP(deliver_modes, parts[0], false, &dm) ||
			    !(tok_is(parts[1], "logical") || tok_is(parts[1], "physical")) ||
			    !(tok_is(parts[2], "assert") || tok_is(parts[2], "de-assert")) ||
			    !(tok_is(parts[3], "level") || tok_is(parts[3], "edge")) ||
			    !LOOKUP(shorthands, parts[4], false, &sh))
				return -1;
			e->complete = true;
			if (!have_vec)
				return 0;
			/*
			 * ICR bits: 7:0 vector, 10:8 mode, 11 logical, 14
			 * assert, 15 level, 19:18 shorthand.
			 */
			set_word(e, 1,
				 vec | dm << 8 | (uint64_t)tok_is(parts[1], "logical") << 11 |
					 (uint64_t)tok_is(parts[2], "assert") << 14 |
					 (uint64_t)tok_is(parts[3], "level") << 15 | sh << 18);
			return 0;
		}
	}
	return 0;
}

/* kvm_apic_accept_irq: v1 delivery mode (0-7, as the model counts it), v2 1 for level. */
static int accept_other(struct line_ev *e, struct scan *sc, struct tok t)
{
	struct tok parts[3];
	uint64_t dm;

	(void)sc;
	/* Older kernels print " (coalesced)" after the group. */
	if (!t.n || t.p[0] != '(' || tok_is(t, "(coalesced)") || e->complete)
		return 0;
	if (split_group(t, parts, 2) != 2 || !LOOKUP(deliver_modes, parts[0], false, &dm) ||
	    !(tok_is(parts[1], "level") || tok_is(parts[1], "edge")))
		return -1;
	set_word(e, 1, dm);
	set_word(e, 2, tok_is(parts[1], "level"));
	e->complete = true;
	return 0;
}

static int parse_accept_irq(struct line_ev *e, struct scan *sc)
{
	return parse_keyed(e, sc, accept_keys, accept_other);
}

/* "msr_%s %x = 0x%llx%s", read or write, then " (#GP)" when it faulted. */
static int parse_msr(struct line_ev *e, struct scan *sc)
{
	struct tok t;
	uint64_t v;

	if (!next_tok(sc, &t))
		return 0;
	if (!tok_is(t, "msr_read") && !tok_is(t, "msr_write"))
		return -1;
	set_word(e, 0, tok_is(t, "msr_write"));
	if (!next_tok(sc, &t))
		return 0;
	if (!parse_hex(t, 32, &v))
		return -1;
	set_word(e, 1, v);
	if (!next_tok(sc, &t))
		return 0;
	if (!tok_is(t, "="))
		return -1;
	if (!next_tok(sc, &t))
		return 0;
	if (!parse_hex(t, 64, &v))
		return -1;
	set_word(e, 2, v);
	e->complete = true;
	set_word(e, 3, next_tok(sc, &t) && tok_is(t, "(#GP)"));
	return 0;
}

static int parse_vmgexit(struct line_ev *e, struct scan *sc)
{
	return parse_keyed(e, sc, vmgexit_keys, NULL);
}

static int parse_ghcb_enter(struct line_ev *e, struct scan *sc)
{
	return parse_keyed(e, sc, ghcb_enter_keys, NULL);
}

static int parse_ghcb_exit(struct line_ev *e, struct scan *sc)
{
	return parse_keyed(e, sc, ghcb_exit_keys, NULL);
}

static const struct {
	const char *name;
	uint16_t kind;
	int (*parse)(struct line_ev *e, struct scan *sc);
} events[] = {
	{ "kvm_entry", VXT_KVM_ENTRY, parse_entry },
	{ "kvm_exit", VXT_KVM_EXIT, parse_exit },
	{ "kvm_nested_vmexit", VXT_KVM_NESTED_VMEXIT, parse_exit },
	{ "kvm_nested_vmexit_inject", VXT_KVM_NESTED_VMEXIT_INJECT, parse_exit },
	{ "kvm_nested_vmenter", VXT_KVM_NESTED_VMENTER, parse_vmenter },
	/* The name before v6.x renamed it. */
	{ "kvm_nested_vmrun", VXT_KVM_NESTED_VMENTER, parse_vmenter },
	{ "kvm_nested_intercepts", VXT_KVM_NESTED_INTERCEPTS, parse_intercepts },
	{ "kvm_inj_virq", VXT_KVM_INJ_VIRQ, parse_inj_virq },
	{ "kvm_inj_exception", VXT_KVM_INJ_EXCEPTION, parse_inj_exception },
	{ "kvm_apic_ipi", VXT_KVM_APIC_IPI, parse_apic_ipi },
	{ "kvm_apic_accept_irq", VXT_KVM_APIC_ACCEPT_IRQ, parse_accept_irq },
	{ "kvm_msr", VXT_KVM_MSR, parse_msr },
	{ "kvm_vmgexit_enter", VXT_KVM_VMGEXIT_ENTER, parse_vmgexit },
	{ "kvm_vmgexit_exit", VXT_KVM_VMGEXIT_EXIT, parse_vmgexit },
	{ "kvm_vmgexit_msr_protocol_enter", VXT_KVM_VMGEXIT_MSR_PROTOCOL_ENTER, parse_ghcb_enter },
	{ "kvm_vmgexit_msr_protocol_exit", VXT_KVM_VMGEXIT_MSR_PROTOCOL_EXIT, parse_ghcb_exit },
};

enum line_kind {
	LINE_NONE,   /* no event on it */
	LINE_OTHER,  /* an event this import does not read */
	LINE_BAD,    /* one of ours with a value that is not a number */
	LINE_EVENT,
};

static enum line_kind parse_line(const char *s, size_t n, struct line_ev *e, struct header *h)
{
	struct scan sc;

	memset(e, 0, sizeof(*e));
	if (!find_header(s, n, h))
		return LINE_NONE;
	for (size_t i = 0; i < sizeof(events) / sizeof(events[0]); i++) {
		if (!tok_is(h->name, events[i].name))
			continue;
		e->r.kind = events[i].kind;
		e->info = vxt_kind_info(events[i].kind);
		sc = (struct scan){ s, n, h->payload };
		if (events[i].parse(e, &sc) < 0)
			return LINE_BAD;
		return LINE_EVENT;
	}
	return LINE_OTHER;
}

/* ---- the text --------------------------------------------------------------- */

struct import {
	struct vxt_trace *t;
	struct vxt_import_stats *st;
	const char *text;
	size_t len, pos;
	size_t lineno;
	uint32_t vmx_ref, vmx_failed_ref;
	uint32_t tid1[TID_SLOTS]; /* tid + 1; 0 free */
	uint32_t tid_vcpu[TID_SLOTS];
	/* Each vCPU's latest time: a trace's time never goes backwards on a
	 * processor (docs/traces.md), so a line that would is refused like one
	 * with a bad value. */
	uint64_t last_time[VXT_MAX_CPU + 1];
	bool timed[VXT_MAX_CPU + 1];
};

/* The next line without its line feed, carriage returns and "> " quote marks. */
static bool next_line(const struct import *im, size_t *pos, struct tok *line)
{
	const char *s, *nl;
	size_t n;

	if (*pos >= im->len)
		return false;
	s = im->text + *pos;
	nl = memchr(s, '\n', im->len - *pos);
	n = nl ? (size_t)(nl - s) : im->len - *pos;
	*pos += n + (nl != NULL);
	while (n && s[n - 1] == '\r')
		n--;
	while (n && s[0] == '>') {
		s++;
		n--;
		if (n && s[0] == ' ') {
			s++;
			n--;
		}
	}
	*line = (struct tok){ s, n };
	return true;
}

static size_t tid_slot(uint32_t tid)
{
	return (size_t)((tid * 2654435761u) % TID_SLOTS);
}

static bool tid_lookup(const struct import *im, uint32_t tid, uint32_t *vcpu)
{
	size_t s = tid_slot(tid);

	for (size_t i = 0; i < TID_SLOTS && im->tid1[s]; i++, s = (s + 1) % TID_SLOTS) {
		if (im->tid1[s] == tid + 1) {
			*vcpu = im->tid_vcpu[s];
			return true;
		}
	}
	return false;
}

static void tid_store(struct import *im, uint32_t tid, uint32_t vcpu)
{
	for (size_t i = 0, s = tid_slot(tid); i < TID_SLOTS; i++, s = (s + 1) % TID_SLOTS) {
		if (!im->tid1[s] || im->tid1[s] == tid + 1) {
			im->tid1[s] = tid + 1;
			im->tid_vcpu[s] = vcpu;
			return;
		}
	}
}

static bool blank(struct tok line)
{
	for (size_t i = 0; i < line.n; i++) {
		if (!is_blank(line.p[i]))
			return false;
	}
	return true;
}

/* The joined line's tokens point into a buffer about to go: only values leave. */
static void take(struct line_ev *e, struct header *h, const struct line_ev *je,
		 const struct header *jh)
{
	*e = *je;
	memset(e->reason, 0, sizeof(e->reason));
	*h = *jh;
	h->name = (struct tok){ NULL, 0 };
}

/* Where a line may be the rest of the one before. */
enum join_mode {
	JOIN_REST,  /* an event line that ended early */
	JOIN_START, /* a line with no event start: the start may have been broken */
	JOIN_TAIL,  /* a whole event line: a bracketed suffix may follow */
};

static bool starts_bracket(struct tok line)
{
	struct scan sc = { line.p, line.n, 0 };
	struct tok t;

	return next_tok(&sc, &t) && (t.p[0] == '(' || t.p[0] == '[');
}

/* A CPU column or a timestamp: what a line holding a broken event start has. */
static bool may_start_event(struct tok line)
{
	struct scan sc = { line.p, line.n, 0 };
	struct tok t;
	uint64_t ns;
	uint32_t cpu;

	while (next_tok(&sc, &t)) {
		if (parse_cpu_col(t, &cpu) || parse_time(t, &ns))
			return true;
	}
	return false;
}

/*
 * An event starts on the line: it cannot continue another. Only a line
 * whose event start was broken before the timestamp may continue with one.
 */
static bool starts_event(struct tok line, enum join_mode mode)
{
	struct header h;
	size_t first = 0;

	if (!find_header(line.p, line.n, &h))
		return false;
	while (first < line.n && is_blank(line.p[first]))
		first++;
	return mode != JOIN_START || h.have_cpu || h.time_at != first;
}

/*
 * A mailer breaks long lines at a space. The lines after one (up to the
 * next blank line or event start) are joined to it with a space while that
 * reads as one event: until the event is whole (JOIN_REST, JOIN_START; an
 * event that began on a line with no start of its own, its CPU column or
 * timestamp, is not one), then while the next line starts with a bracket
 * (JOIN_TAIL: "(0x6)", "[reinjected]", "(#GP)"). Failing that, a JOIN_START
 * line keeps the shortest joining that gave an event.
 */
static bool try_join(struct import *im, struct tok line, enum join_mode mode, struct line_ev *e,
		     struct header *h, size_t *consumed)
{
	char buf[JOIN_MAX];
	size_t n = line.n, pos = im->pos, best = 0, best_pos = 0;
	struct line_ev je, best_e;
	struct header jh, best_h;
	struct tok next;

	if (line.n > sizeof(buf) || (mode == JOIN_START && !may_start_event(line)))
		return false;
	memcpy(buf, line.p, line.n);
	for (size_t k = 1; k <= JOIN_LINES; k++) {
		enum line_kind kind;

		if (!next_line(im, &pos, &next) || blank(next) || starts_event(next, mode) ||
		    n + 1 + next.n > sizeof(buf) || (mode == JOIN_TAIL && !starts_bracket(next)))
			break;
		buf[n++] = ' ';
		memcpy(buf + n, next.p, next.n);
		n += next.n;
		kind = parse_line(buf, n, &je, &jh);
		/* A line start is broken in two or three places at most. */
		if (kind == LINE_NONE && mode == JOIN_START && k < 3)
			continue;
		if (kind != LINE_EVENT || (mode == JOIN_START && jh.cpu_at >= line.n))
			break;
		if (mode == JOIN_TAIL || je.complete || (mode == JOIN_START && !best)) {
			best_e = je;
			best_h = jh;
			best = k;
			best_pos = pos;
		}
		if (je.complete)
			mode = JOIN_TAIL;
	}
	if (!best)
		return false;
	take(e, h, &best_e, &best_h);
	*consumed = best;
	im->pos = best_pos;
	return true;
}

static void skip(struct import *im)
{
	im->st->skipped++;
	if (!im->st->first_skipped_line)
		im->st->first_skipped_line = im->lineno;
}

/* trace-cmd report's first line, "cpus=4": the host's processors. */
static void header_line(struct import *im, struct tok line)
{
	struct scan sc = { line.p, line.n, 0 };
	struct tok t;
	uint64_t v;

	if (next_tok(&sc, &t) && tok_starts_ci(t, "cpus=") && parse_dec(tok_from(t, 5), 32, &v) &&
	    !next_tok(&sc, &t))
		im->st->host_cpus = (unsigned)v;
}

static bool add_event(struct import *im, struct line_ev *e, const struct header *h)
{
	struct vxt_import_stats *st = im->st;
	uint32_t vcpu;

	/* An event line with nothing read is no event. */
	if (!e->r.known && !e->have_vcpu)
		return false;
	/* A reader refuses larger ones (VXT_MAX_CPU). */
	if (e->have_vcpu && e->vcpu > VXT_MAX_CPU)
		return false;
	if (e->have_vcpu) {
		e->r.cpu = e->vcpu;
		if (h->have_tid)
			tid_store(im, h->tid, e->vcpu);
	} else if (h->have_tid && tid_lookup(im, h->tid, &vcpu)) {
		e->r.cpu = vcpu;
	} else if (h->have_cpu) {
		e->r.cpu = h->cpu;
		st->host_cpu++;
	} else {
		return false;
	}
	if (e->r.cpu > VXT_MAX_CPU)
		return false;
	if (im->timed[e->r.cpu] && h->time < im->last_time[e->r.cpu])
		return false;
	im->timed[e->r.cpu] = true;
	im->last_time[e->r.cpu] = h->time;
	e->r.time = h->time;
	e->r.source = VXT_SRC_IMPORT;
	if (e->vmx) {
		uint32_t *ref = e->failed_vmentry ? &im->vmx_failed_ref : &im->vmx_ref;

		if (!*ref)
			*ref = vxt_intern(im->t, e->failed_vmentry ? "vmx FAILED_VMENTRY" : "vmx");
		e->r.text = *ref;
		st->vmx++;
	}
	if (e->unknown_reason)
		st->unknown_reason++;
	if (!e->complete)
		st->partial++;
	if (e->r.cpu + 1 > st->ncpus)
		st->ncpus = e->r.cpu + 1;
	vxt_push(im->t, &e->r);
	st->events++;
	return true;
}

int vxt_import_text(const char *text, size_t len, struct vxt_trace *t,
		    struct vxt_import_stats *st, char *err, size_t errlen)
{
	struct import im;
	struct vxt_import_stats local;
	struct tok line;

	if (!st)
		st = &local;
	memset(st, 0, sizeof(*st));
	memset(&im, 0, sizeof(im));
	im.t = t;
	im.st = st;
	im.text = text ? text : "";
	im.len = text ? len : 0;
	if (!t->hdr.platform)
		t->hdr.platform = VXT_PLATFORM_IMPORT;
	while (!t->oom && next_line(&im, &im.pos, &line)) {
		struct line_ev e;
		struct header h;
		enum line_kind k;
		enum join_mode mode;
		size_t consumed = 0;

		im.lineno = ++st->lines;
		k = parse_line(line.p, line.n, &e, &h);
		mode = k == LINE_NONE ? JOIN_START : e.complete ? JOIN_TAIL : JOIN_REST;
		if ((k == LINE_EVENT || (k == LINE_NONE && !blank(line))) &&
		    try_join(&im, line, mode, &e, &h, &consumed)) {
			k = LINE_EVENT;
			st->lines += consumed;
			st->joined += consumed;
		}
		if (k == LINE_EVENT && add_event(&im, &e, &h))
			continue;
		if (k == LINE_OTHER)
			st->other_events++;
		else if (k == LINE_EVENT || k == LINE_BAD)
			st->malformed++;
		else
			header_line(&im, line);
		skip(&im);
	}
	if (t->oom) {
		if (err && errlen)
			snprintf(err, errlen, "out of memory at line %zu", st->lines);
		return -1;
	}
	if (!st->events) {
		if (err && errlen)
			snprintf(err, errlen, "no KVM event in %zu line%s", st->lines,
				 st->lines == 1 ? "" : "s");
		return -1;
	}
	return 0;
}
