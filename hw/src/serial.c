/* SPDX-License-Identifier: MIT */
/*
 * The console: the 16550 UART at COM1, 115200 baud, 8 data bits, no parity,
 * one stop bit. QEMU accepts anything, but Bochs and real UARTs need the
 * line programmed (National Semiconductor PC16550D data sheet, "Registers").
 * Output is byte for byte what the caller wrote ("\n", not "\r\n") so a
 * captured report compares line by line with the model's. Processors take
 * turns through a lock that the holder may take again, so that a fault
 * report from inside a print still gets out.
 */
#include "vx/arch.h"
#include "hw.h"
#include "percpu.h"

#define COM1 0x3f8
#define UART_THR 0 /* transmit holding (DLAB = 0) */
#define UART_DLL 0 /* divisor latch low (DLAB = 1) */
#define UART_IER 1
#define UART_DLM 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_LCR_8N1  0x03
#define UART_LCR_DLAB 0x80
#define UART_FCR_ENABLE_CLEAR 0x07 /* FIFOs on, both cleared */
#define UART_MCR_DTR_RTS 0x03
#define UART_LSR_THRE 0x20
#define UART_LSR_TEMT 0x40 /* holding and shift registers both empty */
/* 115200 = 1.8432 MHz / 16 / 1 */
#define UART_DIVISOR 1
/* Bounded wait: a machine without a UART at COM1 reads 0xff or 0x00, and
 * must not hang the run. */
#define UART_SPINS 100000

void hw_serial_init(void)
{
	hw_outb(COM1 + UART_IER, 0x00);
	hw_outb(COM1 + UART_LCR, UART_LCR_DLAB);
	hw_outb(COM1 + UART_DLL, UART_DIVISOR & 0xff);
	hw_outb(COM1 + UART_DLM, UART_DIVISOR >> 8);
	hw_outb(COM1 + UART_LCR, UART_LCR_8N1);
	hw_outb(COM1 + UART_FCR, UART_FCR_ENABLE_CLEAR);
	hw_outb(COM1 + UART_MCR, UART_MCR_DTR_RTS);
}

static void put(char c)
{
	for (int i = 0; i < UART_SPINS && !(hw_inb(COM1 + UART_LSR) & UART_LSR_THRE); i++)
		__asm__ volatile("pause");
	hw_outb(COM1 + UART_THR, (uint8_t)c);
}

static struct hw_cpu *console_owner;
static uint32_t console_depth;

void hw_console_lock(void)
{
	struct hw_cpu *self = hw_cpu_self();
	struct hw_cpu *none = NULL;

	if (__atomic_load_n(&console_owner, __ATOMIC_RELAXED) != self) {
		while (!__atomic_compare_exchange_n(&console_owner, &none, self, false,
						    __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
			none = NULL;
			arch_cpu_pause();
		}
	}
	console_depth++;
}

void hw_console_unlock(void)
{
	if (--console_depth == 0)
		__atomic_store_n(&console_owner, NULL, __ATOMIC_RELEASE);
}

void hw_serial_write(const char *s, size_t n)
{
	hw_console_lock();
	for (size_t i = 0; i < n; i++)
		put(s[i]);
	hw_console_unlock();
}

void hw_serial_drain(void)
{
	for (int i = 0; i < UART_SPINS && !(hw_inb(COM1 + UART_LSR) & UART_LSR_TEMT); i++)
		__asm__ volatile("pause");
}

void arch_console_write(const char *s, size_t n)
{
	hw_serial_write(s, n);
}
