/* SPDX-License-Identifier: MIT */
/*
 * What the parts of the hardware image tell each other. Everything here is
 * platform-internal; the portable code sees only include/vx/arch.h.
 *
 * Who may include it: hw/ only.
 */
#ifndef HW_HW_H
#define HW_HW_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Exit codes written to the isa-debug-exit port (docs/hardware.md). */
enum hw_exit_code {
	HW_EXIT_PASS = 0,   /* every selected scenario passed or skipped */
	HW_EXIT_FAIL = 1,   /* a scenario failed or broke */
	HW_EXIT_BROKEN = 2, /* the image itself: bad command line, crash */
};

/* The registers as hw/src/isr.S saves them, lowest address first. */
struct hw_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	/* pushed by the processor (APM vol. 2 §8.9.3, long-mode stack frame) */
	uint64_t rip, cs, rflags, rsp, ss;
};

/* string.c: the four functions GCC may call in any freestanding program. */
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);

/* cpu.c: hw_cpu_init on the bootstrap processor, hw_cpu_reset on any. */
void hw_cpu_init(void);
void hw_cpu_reset(void);
uint64_t hw_cpu_tss_base(void);

/* mem.c: hw_mem_init with the top of the RAM the loader reported (the
 * image's end when it reported none); hw_mem_reset hands every page out
 * again. */
void hw_mem_init(uint64_t top);
void hw_mem_reset(void);

/* trap.c: called by isr.S for every vector. */
void hw_trap(struct hw_frame *f);
/* Name of the scenario the calling processor runs now, for crash reports
 * (NULL: none). */
void hw_set_scenario(const char *name);

/* serial.c: COM1 */
void hw_serial_init(void);
void hw_serial_write(const char *s, size_t n);
/* Until the last character has left the line (bounded): an emulator that
 * ends, or a machine that resets, drops what the UART still holds. */
void hw_serial_drain(void);
/* Held around one whole message so that processors do not interleave
 * within a line; the holder may take it again. */
void hw_console_lock(void);
void hw_console_unlock(void);

/* print.c: %s %c %d %u %x %lx %llx %p, with an optional field width and a
 * '0' flag. Enough for diagnostics; the reports use the portable writer. */
void hw_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void hw_vprintf(const char *fmt, va_list ap);

/* event.c */
extern bool hw_trace;

/* exit.c: hw_exit prints "vxemu-hw: finished with exit code N" as the last
 * line (as an XML comment after hw_exit_in_xml) and ends the run. */
__attribute__((noreturn)) void hw_exit(enum hw_exit_code code);
void hw_exit_in_xml(void);

/* tsc.c: TSC ticks per second measured against the PIT, 0 if unknown. */
uint64_t hw_tsc_hz(void);

/* Port I/O. */
static inline void hw_outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t hw_inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void hw_outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint64_t hw_read_cr0(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static inline uint64_t hw_read_cr2(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

static inline uint64_t hw_read_cr3(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

static inline uint64_t hw_read_cr4(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static inline void hw_write_cr4(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory");
}

#endif
