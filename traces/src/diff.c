/* SPDX-License-Identifier: MIT */
/* Two traces of one scenario side by side (see diff.h). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "hv/vm.h"
#include "x86/apic.h"
#include "x86/svm.h"
#include "x86/vmcb.h"
#include "vxtrace/diff.h"
#include "vxtrace/dump.h"

/* VMEXIT_INVALID (-1) as a 32-bit field prints it: the save area is
 * unspecified, the code is all there is. */
#define EXIT_ERR32 0xffffffffu
#define SPIN_PENDING_MAX 4

/* Exits whose EXITINFO1 only decode assists fill (§15.8): MOV CR/DR,
 * INTn, INVLPG. */
static bool decode_assisted(uint64_t reason)
{
	return reason < SVM_EXIT_EXCP_BASE || reason == SVM_EXIT_SWINT || reason == SVM_EXIT_INVLPG;
}

/* Words of a kvm_exit to compare: those a machine defines (W(i) bits). */
static uint8_t exit_mask(const struct vxt_record *a, const struct vxt_record *b,
			 uint32_t features)
{
	uint8_t m = 0xff;

	if ((uint32_t)a->v[0] == EXIT_ERR32 || (uint32_t)b->v[0] == EXIT_ERR32)
		return 0x01;
	/* Where an interrupt, NMI, SMI or INIT lands is a matter of timing. */
	if (a->v[0] >= SVM_EXIT_INTR && a->v[0] <= SVM_EXIT_VINTR)
		m &= (uint8_t)~(1u << 1 | 1u << 6);
	if (!(features & SVM_FEATURE_NRIPS))
		m &= (uint8_t)~(1u << 6);
	if (!(features & SVM_FEATURE_DECODEASSISTS) && decode_assisted(a->v[0]))
		m &= (uint8_t)~(1u << 2);
	/* With V clear the rest of EXITINTINFO means nothing; its error code
	 * only with EV set. */
	if (!((a->v[4] | b->v[4]) & SVM_EXITINTINFO_VALID))
		m &= (uint8_t)~(1u << 4 | 1u << 5);
	else if (!((a->v[4] | b->v[4]) & SVM_EXITINTINFO_VALID_ERR))
		m &= (uint8_t)~(1u << 5);
	return m;
}

/*
 * Words of a VM exit to compare: where an external interrupt, an NMI, an
 * INIT or the preemption timer finds the guest is a matter of timing
 * (basic reasons 1, 3, 52; 0 with NMI type, SDM vol. 3C §25.8.3).
 */
static uint8_t vmx_exit_mask(const struct vxt_record *a)
{
	uint32_t basic = (uint32_t)a->v[0] & 0xffffu;
	bool nmi = basic == 0 && (((uint32_t)a->v[4] >> 8) & 7u) == 2;

	if (basic == 1 || basic == 3 || basic == 52 || nmi)
		return (uint8_t)~(1u << 1);
	return 0xff;
}

struct view {
	const struct vxt_trace *t;
	size_t *idx; /* the records compared, in file order */
	bool *loose; /* per view entry: its RIP is a matter of timing */
	size_t n;
};

struct cmp {
	uint32_t features; /* SVM features either machine has (Fn8000_000A EDX) */
	bool machine;  /* one side is not the model: model-only records are out */
	bool imported; /* one side is an import: no steps, no checks, shared kinds */
	bool kinds_a[VXT_KIND_COUNT], kinds_b[VXT_KIND_COUNT];
};

static unsigned same_as(unsigned kind)
{
	return vxt_kind_info(kind)->same_as;
}

static bool kept(const struct cmp *c, const struct vxt_record *r)
{
	unsigned k = same_as(r->kind);

	/* The guest code is context for a reader, not an event. */
	if (r->kind == VXT_GUEST_CODE)
		return false;
	if (c->machine && r->source == HV_SRC_MODEL)
		return false;
	/* The core's kick is sent only when it finds the vCPU in the guest. */
	if (k == VXT_KVM_APIC_IPI && r->source == HV_SRC_SEAM && (r->known & 2) &&
	    (r->v[1] & APIC_DM_MASK) == APIC_DM_FIXED && (r->v[1] & APIC_ICR_VECTOR_MASK) == HV_KICK_VECTOR)
		return false;
	if (c->imported && (k == VXT_CHECK || !c->kinds_a[k] || !c->kinds_b[k]))
		return false;
	return true;
}

/*
 * Exits whose number is a matter of timing, not of behaviour, are not
 * compared: a guest spinning with PAUSE intercepted exits as often as its
 * wait takes (a PAUSE exit at the same RIP as the processor's previous
 * one, with nothing but the re-entry between them, is one more turn of the
 * same loop); and a host interrupt the hypervisor answers by re-entering
 * the guest at the RIP it left with the same interrupt state, nothing else
 * between, changed nothing the guest can see (the core's kicks arrive this
 * way, when they find the vCPU in the guest). False when out of memory.
 */
static bool mark_spins(const struct vxt_trace *t, bool *drop)
{
	struct spin {
		bool pause;          /* the processor's last exit was PAUSE... */
		uint64_t rip;        /* ...at this RIP */
		size_t pending[SPIN_PENDING_MAX], n;
		bool overflow;
		size_t entry;        /* the processor's last VM entry kept, or VXT_NONE */
		size_t intr;         /* an INTR exit just before, or VXT_NONE */
	} *sp = calloc(VXT_MAX_CPU + 1, sizeof(*sp));

	if (!sp)
		return false;
	for (size_t i = 0; i <= VXT_MAX_CPU; i++)
		sp[i].entry = sp[i].intr = VXT_NONE;
	for (size_t i = 0; i < t->nrec; i++) {
		const struct vxt_record *r = &t->rec[i];
		struct spin *p = &sp[r->cpu];
		unsigned k = same_as(r->kind);

		if (r->kind == VXT_GUEST_CODE)
			continue;
		if (p->intr != VXT_NONE) {
			const struct vxt_record *x = &t->rec[p->intr];

			if (k == VXT_KVM_ENTRY && (r->known & 1) && r->v[0] == x->v[1] &&
			    p->entry != VXT_NONE && r->v[2] == t->rec[p->entry].v[2] &&
			    r->v[3] == t->rec[p->entry].v[3]) {
				drop[p->intr] = true;
				drop[i] = true;
			}
			p->intr = VXT_NONE;
		}
		if (k == VXT_KVM_ENTRY && !drop[i])
			p->entry = i;
		if (k == VXT_KVM_ENTRY || k == VXT_KVM_NESTED_INTERCEPTS) {
			if (p->n < SPIN_PENDING_MAX)
				p->pending[p->n++] = i;
			else
				p->overflow = true;
			continue;
		}
		if (k == VXT_KVM_EXIT || k == VXT_KVM_NESTED_VMEXIT) {
			bool pause = (r->known & 1) && r->v[0] == SVM_EXIT_PAUSE;

			/* A host interrupt's visit, if the processor's next record
			 * re-enters as described. */
			if ((r->known & 3) == 3 && r->v[0] == SVM_EXIT_INTR)
				p->intr = i;
			if (pause && p->pause && !p->overflow && (r->known & 2) && r->v[1] == p->rip) {
				for (size_t j = 0; j < p->n; j++)
					drop[p->pending[j]] = true;
				drop[i] = true;
			}
			p->pause = pause && (r->known & 2);
			p->rip = r->v[1];
		} else {
			p->pause = false;
		}
		p->n = 0;
		p->overflow = false;
	}
	free(sp);
	return true;
}

/* An exit for an interrupt, NMI, SMI, INIT or virtual interrupt. */
static bool async_exit(const struct vxt_record *r)
{
	return same_as(r->kind) == VXT_KVM_EXIT && (r->known & 1) && r->v[0] >= SVM_EXIT_INTR &&
	       r->v[0] <= SVM_EXIT_VINTR;
}

static int make_view(struct view *v, const struct vxt_trace *t, const struct cmp *c)
{
	size_t n = t->nrec ? t->nrec : 1;
	bool *drop = calloc(n, sizeof(*drop));
	bool *after_async = calloc(VXT_MAX_CPU + 1, sizeof(*after_async));

	v->t = t;
	v->n = 0;
	v->idx = malloc(n * sizeof(*v->idx));
	v->loose = malloc(n * sizeof(*v->loose));
	if (!v->idx || !v->loose || !drop || !after_async || !mark_spins(t, drop)) {
		free(drop);
		free(after_async);
		return -1;
	}
	for (size_t i = 0; i < t->nrec; i++) {
		const struct vxt_record *r = &t->rec[i];

		if (drop[i] || !kept(c, r))
			continue;
		/* The guest resumes where the asynchronous event found it. */
		v->loose[v->n] = same_as(r->kind) == VXT_KVM_ENTRY && after_async[r->cpu];
		if (same_as(r->kind) == VXT_KVM_EXIT)
			after_async[r->cpu] = async_exit(r);
		v->idx[v->n++] = i;
	}
	free(drop);
	free(after_async);
	return 0;
}

static uint32_t step_of(const struct cmp *c, const struct vxt_record *r)
{
	return c->imported ? 0 : r->step;
}

/* Words of a and b that differ; *kind and *text say what else does. */
static uint8_t compare(const struct cmp *c, const struct vxt_record *a, const struct vxt_record *b,
		       bool loose, const struct vxt_trace *ta, const struct vxt_trace *tb, bool *kind,
		       bool *text)
{
	unsigned ka = same_as(a->kind), kb = same_as(b->kind);
	uint8_t mask, out = 0;

	*kind = ka != kb;
	*text = false;
	if (*kind)
		return 0;
	mask = vxt_kind_info(a->kind)->compare & vxt_kind_info(b->kind)->compare & a->known & b->known;
	if (ka == VXT_KVM_EXIT)
		mask &= exit_mask(a, b, c->features);
	if (ka == VXT_VMX_EXIT)
		mask &= vmx_exit_mask(a);
	if (ka == VXT_KVM_ENTRY && loose)
		mask &= (uint8_t)~1u;
	for (int i = 0; i < VXT_WORDS; i++) {
		if ((mask & (1u << i)) && a->v[i] != b->v[i])
			out |= (uint8_t)(1u << i);
	}
	if (ka == VXT_CHECK) {
		const char *sa = vxt_string(ta, a->text), *sb = vxt_string(tb, b->text);

		*text = (sa || sb) && (!sa || !sb || strcmp(sa, sb) != 0);
	}
	return out;
}

struct pos {
	uint32_t cpu;
	size_t at; /* index into the view */
};

static int by_cpu(const void *x, const void *y)
{
	const struct pos *p = x, *q = y;

	if (p->cpu != q->cpu)
		return p->cpu < q->cpu ? -1 : 1;
	return p->at < q->at ? -1 : p->at > q->at;
}

/* The records of one step of a view, grouped by processor in stream order. */
static size_t segment(const struct view *v, const struct cmp *c, size_t from, uint32_t step,
		      struct pos *out)
{
	size_t n = 0;

	for (size_t i = from; i < v->n && step_of(c, &v->t->rec[v->idx[i]]) == step; i++) {
		out[n].cpu = v->t->rec[v->idx[i]].cpu;
		out[n].at = i;
		n++;
	}
	qsort(out, n, sizeof(*out), by_cpu);
	return n;
}

/* Records a divergence unless an earlier one (in A's order) is known; true when it did. */
static bool diverge(struct vxt_diff *d, size_t *best, const struct view *va, const struct view *vb,
		    const struct pos *pa, const struct pos *pb, uint32_t step, uint32_t cpu)
{
	/* A's position; where A has nothing, the end of its step. */
	size_t key = pa ? pa->at : pb->at;

	if (!d->same && key >= *best)
		return false;
	*best = key;
	d->same = false;
	d->a = pa ? va->idx[pa->at] : VXT_NONE;
	d->b = pb ? vb->idx[pb->at] : VXT_NONE;
	d->step = step;
	d->cpu = cpu;
	return true;
}

int vxt_diff(const struct vxt_trace *a, const struct vxt_trace *b, struct vxt_diff *d, char *err,
	     size_t errlen)
{
	struct cmp c;
	struct view va, vb;
	struct pos *sa = NULL, *sb = NULL;
	size_t ia = 0, ib = 0, best = VXT_NONE;
	const char *na = vxt_string(a, a->hdr.scenario), *nb = vxt_string(b, b->hdr.scenario);

	memset(d, 0, sizeof(*d));
	d->same = true;
	d->a = d->b = VXT_NONE;
	memset(&c, 0, sizeof(c));
	c.machine = a->hdr.platform != VXT_PLATFORM_MODEL || b->hdr.platform != VXT_PLATFORM_MODEL;
	c.imported = a->hdr.platform == VXT_PLATFORM_IMPORT || b->hdr.platform == VXT_PLATFORM_IMPORT;
	/* A field is compared when either machine defines it: one that has NRIP
	 * save and one that does not differ in next_rip. An import's header
	 * names no machine: what it printed is compared. */
	c.features = a->hdr.cpuid_8000000a_edx | b->hdr.cpuid_8000000a_edx;
	if (c.imported)
		c.features = UINT32_MAX;
	if (!c.imported && na && nb && strcmp(na, nb) != 0) {
		snprintf(err, errlen, "the traces are of different scenarios (%s, %s)", na, nb);
		return -1;
	}
	for (size_t i = 0; i < a->nrec; i++)
		c.kinds_a[same_as(a->rec[i].kind)] = true;
	for (size_t i = 0; i < b->nrec; i++)
		c.kinds_b[same_as(b->rec[i].kind)] = true;
	va.idx = vb.idx = NULL;
	va.loose = vb.loose = NULL;
	if (make_view(&va, a, &c) || make_view(&vb, b, &c) ||
	    !(sa = malloc((va.n ? va.n : 1) * sizeof(*sa))) ||
	    !(sb = malloc((vb.n ? vb.n : 1) * sizeof(*sb)))) {
		free(va.idx);
		free(vb.idx);
		free(va.loose);
		free(vb.loose);
		free(sa);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	while (d->same && (ia < va.n || ib < vb.n)) {
		/* The next step either side has; a side without it has no events there. */
		uint32_t step = ia < va.n ? step_of(&c, &a->rec[va.idx[ia]]) : UINT32_MAX;
		size_t na_seg, nb_seg, i = 0, j = 0;

		if (ib < vb.n && step_of(&c, &b->rec[vb.idx[ib]]) < step)
			step = step_of(&c, &b->rec[vb.idx[ib]]);
		na_seg = segment(&va, &c, ia, step, sa);
		nb_seg = segment(&vb, &c, ib, step, sb);
		while (i < na_seg || j < nb_seg) {
			uint32_t cpu = i < na_seg ? sa[i].cpu : UINT32_MAX;

			if (j < nb_seg && sb[j].cpu < cpu)
				cpu = sb[j].cpu;
			for (;; i++, j++) {
				bool ha = i < na_seg && sa[i].cpu == cpu, hb = j < nb_seg && sb[j].cpu == cpu;
				bool kind = false, text = false;
				uint8_t f = 0;

				if (!ha && !hb)
					break;
				if (ha && hb)
					f = compare(&c, &a->rec[va.idx[sa[i].at]], &b->rec[vb.idx[sb[j].at]],
						    va.loose[sa[i].at] || vb.loose[sb[j].at], a, b, &kind,
						    &text);
				if (!ha || !hb || f || kind || text) {
					if (diverge(d, &best, &va, &vb, ha ? &sa[i] : NULL,
						    hb ? &sb[j] : NULL, step, cpu)) {
						d->fields = f;
						d->kind_differs = kind;
						d->text_differs = text;
					}
					/* Skip the rest of this processor's step on both sides. */
					while (i < na_seg && sa[i].cpu == cpu)
						i++;
					while (j < nb_seg && sb[j].cpu == cpu)
						j++;
					break;
				}
				d->compared++;
			}
		}
		ia += na_seg;
		ib += nb_seg;
	}
	free(va.idx);
	free(vb.idx);
	free(va.loose);
	free(vb.loose);
	free(sa);
	free(sb);
	return 0;
}

/* The up to n records of a's processor cpu compared before index at. */
static void context(FILE *f, const struct vxt_trace *t, const struct cmp *c, size_t at,
		    uint32_t cpu, unsigned n)
{
	size_t idx[64], k = 0;
	char line[512];

	if (n > 64)
		n = 64;
	for (size_t i = at; i-- > 0 && k < n;) {
		if (t->rec[i].cpu == cpu && kept(c, &t->rec[i]))
			idx[k++] = i;
	}
	while (k--) {
		vxt_format_record(t, &t->rec[idx[k]], line, sizeof(line));
		fprintf(f, "      %s\n", line);
	}
}

/* The guest code record the model wrote right after an exit. */
static const struct vxt_record *code_after(const struct vxt_trace *t, size_t at)
{
	if (at == VXT_NONE)
		return NULL;
	for (size_t i = at + 1; i < t->nrec && i < at + 3; i++) {
		if (t->rec[i].kind == VXT_GUEST_CODE && t->rec[i].cpu == t->rec[at].cpu)
			return &t->rec[i];
	}
	return NULL;
}

/* "A = FILE (platform): the scenario's verdict". */
static void outcome(FILE *f, const char *label, const char *name, const struct vxt_trace *t)
{
	static const char *const status[] = { "PASS", "SKIP", "FAIL", "ERROR" };
	const char *msg = vxt_string(t, t->hdr.message);

	fprintf(f, "  %s = %s (%s): %s%s%s\n", label, name, vxt_platform_name(t->hdr.platform),
		t->hdr.platform == VXT_PLATFORM_IMPORT ? "imported" :
		t->hdr.status < 4 ? status[t->hdr.status] : "?",
		msg ? ", " : "", msg ? msg : "");
}

static void side(FILE *f, const char *label, const struct vxt_trace *t, size_t at)
{
	char line[512];

	if (at == VXT_NONE) {
		fprintf(f, "  %s: (no event: the trace has nothing more on this processor in this step)\n",
			label);
		return;
	}
	vxt_format_record(t, &t->rec[at], line, sizeof(line));
	fprintf(f, "  %s: %s\n", label, line);
}

void vxt_diff_report(FILE *f, const struct vxt_trace *a, const char *name_a,
		     const struct vxt_trace *b, const char *name_b, const struct vxt_diff *d,
		     unsigned ctx)
{
	struct cmp c;
	const struct vxt_record *code;
	const char *check = NULL;

	if (d->same) {
		fprintf(f, "same: %zu events agree (%s, %s)\n", d->compared, name_a, name_b);
		return;
	}
	memset(&c, 0, sizeof(c));
	c.machine = a->hdr.platform != VXT_PLATFORM_MODEL || b->hdr.platform != VXT_PLATFORM_MODEL;
	/* The check that ended the step before: where in the scenario this is. */
	for (size_t i = d->a != VXT_NONE ? d->a : a->nrec; i-- > 0;) {
		if (a->rec[i].kind == VXT_CHECK && a->rec[i].step + 1 == d->step) {
			check = vxt_string(a, a->rec[i].text);
			break;
		}
	}
	fprintf(f, "first divergence: step %u%s%s%s, cpu %u, after %zu events that agree\n",
		d->step, check ? " (after check \"" : "", check ? check : "", check ? "\")" : "", d->cpu,
		d->compared);
	outcome(f, "A", name_a, a);
	outcome(f, "B", name_b, b);
	side(f, "A", a, d->a);
	side(f, "B", b, d->b);
	if (d->kind_differs) {
		fprintf(f, "  differs in: the event\n");
	} else if (d->a != VXT_NONE && d->b != VXT_NONE) {
		const struct vxt_kind_info *k = vxt_kind_info(a->rec[d->a].kind);

		fprintf(f, "  differs in:");
		for (int i = 0; i < VXT_WORDS; i++) {
			if (d->fields & (1u << i))
				fprintf(f, " %s (0x%" PRIx64 " / 0x%" PRIx64 ")", k->field[i] ? k->field[i] : "?",
					a->rec[d->a].v[i], b->rec[d->b].v[i]);
		}
		if (d->text_differs)
			fprintf(f, " the check");
		fprintf(f, "\n");
	}
	if (ctx && d->a != VXT_NONE) {
		fprintf(f, "  before it in A:\n");
		context(f, a, &c, d->a, d->cpu, ctx);
	}
	if (ctx && d->b != VXT_NONE) {
		fprintf(f, "  before it in B:\n");
		context(f, b, &c, d->b, d->cpu, ctx);
	}
	if ((code = code_after(a, d->a))) {
		fprintf(f, "  guest code at A's exit:\n");
		vxt_print_code(f, code, "      ");
	}
	/* B's code only where it is not A's. */
	if ((code = code_after(b, d->b)) &&
	    !(code_after(a, d->a) && memcmp(code->v, code_after(a, d->a)->v, sizeof(code->v)) == 0)) {
		fprintf(f, "  guest code at B's exit:\n");
		vxt_print_code(f, code, "      ");
	}
}
