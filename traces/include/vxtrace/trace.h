/* SPDX-License-Identifier: MIT */
/*
 * The trace format (docs/traces.md, byte by byte): a fixed header, fixed-size
 * records, then a string table. Everything is little-endian; there are no
 * pointers, only string references (byte offset into the table plus one, 0
 * for none). The structs below are the in-memory form; vxt_encode and
 * vxt_decode convert field by field, so the file layout does not depend on
 * the host. The offsets asserted here are the file's.
 *
 * Who may include it: traces/, cli/, tests/, fuzz/.
 */
#ifndef VXTRACE_TRACE_H
#define VXTRACE_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vx/event.h"

#define VXT_MAGIC "VXTRACE\0"
#define VXT_MAGIC_SIZE 8
#define VXT_FORMAT_VERSION 1u
#define VXT_HEADER_SIZE 256u
#define VXT_RECORD_SIZE 88u
#define VXT_WORDS 8

/* Bounds a reader enforces before it allocates anything. */
#define VXT_MAX_RECORDS (1u << 26)
#define VXT_MAX_STRINGS (1u << 28)
#define VXT_MAX_CPU 4095u

enum vxt_platform {
	VXT_PLATFORM_MODEL = 1,    /* the vxemu model: time is the model's cycle */
	VXT_PLATFORM_QEMU_TCG = 2, /* the hardware image under QEMU TCG: time is RDTSC */
	VXT_PLATFORM_QEMU_KVM = 3, /* the hardware image under QEMU/KVM */
	VXT_PLATFORM_METAL = 4,    /* the hardware image on a real processor */
	VXT_PLATFORM_IMPORT = 5,   /* converted from trace-cmd or perf text */
	VXT_PLATFORM_COUNT
};

/* Machine switches (header field machine_flags). */
#define VXT_MACHINE_VNMI (1u << 0)
#define VXT_MACHINE_NRIPS (1u << 1)
#define VXT_MACHINE_NPT (1u << 2)
#define VXT_MACHINE_DECODE_ASSISTS (1u << 3)
#define VXT_MACHINE_FLAGS_ALL 15u

struct vxt_header {
	uint16_t format_version;   /* 08h */
	uint16_t header_size;      /* 0Ah: VXT_HEADER_SIZE */
	uint16_t record_size;      /* 0Ch: VXT_RECORD_SIZE */
	uint16_t flags;            /* 0Eh: 0 */
	uint64_t record_count;     /* 10h */
	uint64_t strings_offset;   /* 18h: header_size + record_count * record_size */
	uint64_t strings_size;     /* 20h */
	uint32_t platform;         /* 28h: enum vxt_platform */
	uint32_t vxemu_version;    /* 2Ch: string */
	char cpuid_vendor[12];     /* 30h: Fn0000_0000 EBX, EDX, ECX */
	uint32_t cpuid_1_eax;      /* 3Ch: family, model, stepping */
	uint32_t cpuid_1_ecx;      /* 40h */
	uint32_t cpuid_80000001_ecx; /* 44h: SVM is bit 2 */
	uint32_t cpuid_8000000a_eax; /* 48h: SVM revision */
	uint32_t cpuid_8000000a_ebx; /* 4Ch: number of ASIDs */
	uint32_t cpuid_8000000a_edx; /* 50h: SVM features (NPT, NRIPS, vNMI, ...) */
	uint32_t cpuid_8000001f_eax; /* 54h: SEV features */
	uint32_t ncpus;            /* 58h: processors */
	uint32_t machine_flags;    /* 5Ch: VXT_MACHINE_* */
	uint64_t ram_size;         /* 60h: bytes */
	uint32_t costs;            /* 68h: string: the cycle cost table, "name cost" lines */
	uint32_t scenario;         /* 6Ch: string: the scenario's name */
	uint32_t status;           /* 70h: enum conf_status of the run (0 pass .. 3 error) */
	uint32_t checks;           /* 74h: checks the scenario evaluated */
	uint32_t message;          /* 78h: string: the scenario's first failure or skip reason */
	uint32_t origin;           /* 7Ch: string: where the trace came from (a file name, a command) */
	/* 80h..FFh: zero */
};

/* A record: one event. */
struct vxt_record {
	uint64_t time;   /* 00h: the model's cycle, or the TSC */
	uint32_t cpu;    /* 08h: processor (vCPU for an import) */
	uint16_t kind;   /* 0Ch: enum vxt_kind */
	uint8_t source;  /* 0Eh: enum hv_event_source, or VXT_SRC_IMPORT */
	uint8_t known;   /* 0Fh: bit i set: v[i] holds a value */
	uint32_t step;   /* 10h: checks evaluated before this event */
	uint32_t text;   /* 14h: string, or 0 */
	uint64_t v[VXT_WORDS]; /* 18h */
};

#define VXT_SRC_IMPORT 4u
#define VXT_SRC_COUNT 5u

/*
 * Record kinds. The names and field names are KVM's where KVM has the event
 * (include/trace/events/kvm.h, arch/x86/kvm/trace.h); vxemu_* are the
 * model's own.
 */
enum vxt_kind {
	VXT_KVM_ENTRY = 1,
	VXT_KVM_EXIT,
	VXT_KVM_NESTED_INTERCEPTS,
	VXT_KVM_INJ_VIRQ,
	VXT_KVM_INJ_EXCEPTION,
	VXT_KVM_APIC_IPI,
	VXT_KVM_APIC_ACCEPT_IRQ,
	VXT_KVM_MSR,
	VXT_KVM_NESTED_VMENTER,
	VXT_KVM_NESTED_VMEXIT,
	VXT_KVM_NESTED_VMEXIT_INJECT,
	VXT_KVM_VMGEXIT_ENTER,
	VXT_KVM_VMGEXIT_EXIT,
	VXT_KVM_VMGEXIT_MSR_PROTOCOL_ENTER,
	VXT_KVM_VMGEXIT_MSR_PROTOCOL_EXIT,
	VXT_INJ_NMI,
	VXT_EVENTINJ,
	VXT_DELIVER,
	VXT_APIC_TIMER,
	VXT_INIT,
	VXT_SIPI,
	VXT_MP_STATE,
	VXT_HOST_IRQ,
	VXT_HOST_NMI,
	VXT_CHECK,
	VXT_SHUTDOWN,
	VXT_GUEST_CODE,
	VXT_KVM_NESTED_VMENTER_FAILED,
	VXT_VMX_ENTRY,
	VXT_VMX_EXIT,
	VXT_KIND_COUNT
};

struct vxt_kind_info {
	const char *name;
	const char *field[VXT_WORDS]; /* NULL: the word is unused */
	/* Words two runs must agree on for the events to match (bit i: v[i]). */
	uint8_t compare;
	/* Kind whose words mean the same (kvm_nested_vmenter is a kvm_entry
	 * seen from L0), or the kind itself. */
	uint16_t same_as;
};

/* NULL for a kind outside the table. */
const struct vxt_kind_info *vxt_kind_info(unsigned kind);
/* 0 when the name is not a kind. */
unsigned vxt_kind_by_name(const char *name);
const char *vxt_platform_name(uint32_t platform);
const char *vxt_source_name(unsigned source);

/* A trace in memory. Grows as records are added; vxt_free releases it. */
struct vxt_trace {
	struct vxt_header hdr;
	struct vxt_record *rec;
	size_t nrec, rec_cap;
	char *str;             /* the string table */
	size_t nstr, str_cap;
	/* Interning: open-addressed table of string references. */
	uint32_t *hash;
	size_t hash_cap;
	bool oom;              /* an allocation failed: the trace is incomplete */
	uint32_t next_step;    /* step of the next record added */
};

void vxt_init(struct vxt_trace *t);
void vxt_free(struct vxt_trace *t);
/* Drops the records and strings; keeps the allocations for the next run. */
void vxt_reset(struct vxt_trace *t);

/* The reference of s in t's string table (added once); 0 for NULL or on
 * allocation failure (t->oom is then set). */
uint32_t vxt_intern(struct vxt_trace *t, const char *s);
/* NULL for 0 or a reference the decoder did not validate. */
const char *vxt_string(const struct vxt_trace *t, uint32_t ref);

/* Appends a copy of r with its step set; a check advances the step after. */
void vxt_push(struct vxt_trace *t, const struct vxt_record *r);
/* Appends the record (or none) that ev becomes. */
void vxt_add_event(struct vxt_trace *t, const struct hv_event *ev);

/* The file image of t: returns a malloc'd buffer, or NULL on allocation failure. */
uint8_t *vxt_encode(const struct vxt_trace *t, size_t *size);
/* Writes t to path; -1 with a message. */
int vxt_save(const struct vxt_trace *t, const char *path, char *err, size_t errlen);

/*
 * Parses and validates a file image into t (initialised here). -1 with a
 * message naming the file offset of the first thing wrong. Allocates no
 * more than the image's size justifies.
 */
int vxt_decode(const uint8_t *buf, size_t size, struct vxt_trace *t, char *err, size_t errlen);
/* Reads and decodes a file; the message starts with the path. */
int vxt_load(const char *path, struct vxt_trace *t, char *err, size_t errlen);

#endif
