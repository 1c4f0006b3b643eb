//go:build amd64 && !purego

#include "textflag.h"

// func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)
TEXT ·cpuid(SB), NOSPLIT, $0-24
	MOVL eaxArg+0(FP), AX
	MOVL ecxArg+4(FP), CX
	CPUID
	MOVL AX, eax+8(FP)
	MOVL BX, ebx+12(FP)
	MOVL CX, ecx+16(FP)
	MOVL DX, edx+20(FP)
	RET

// func xgetbv() (eax, edx uint32)
TEXT ·xgetbv(SB), NOSPLIT, $0-8
	MOVL $0, CX
	XGETBV
	MOVL AX, eax+0(FP)
	MOVL DX, edx+4(FP)
	RET

// func dotAVX(a, b []float32) float32
// Four independent 8-wide FMA accumulators, then an 8-wide and a scalar tail.
TEXT ·dotAVX(SB), NOSPLIT, $0-52
	MOVQ a_base+0(FP), SI
	MOVQ a_len+8(FP), CX
	MOVQ b_base+24(FP), DI
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	XORQ AX, AX
	MOVQ CX, DX
	ANDQ $-32, DX

dot32:
	CMPQ AX, DX
	JGE  dot8pre
	VMOVUPS (SI)(AX*4), Y4
	VMOVUPS 32(SI)(AX*4), Y5
	VMOVUPS 64(SI)(AX*4), Y6
	VMOVUPS 96(SI)(AX*4), Y7
	VFMADD231PS (DI)(AX*4), Y4, Y0
	VFMADD231PS 32(DI)(AX*4), Y5, Y1
	VFMADD231PS 64(DI)(AX*4), Y6, Y2
	VFMADD231PS 96(DI)(AX*4), Y7, Y3
	ADDQ $32, AX
	JMP  dot32

dot8pre:
	MOVQ CX, DX
	ANDQ $-8, DX

dot8:
	CMPQ AX, DX
	JGE  dotreduce
	VMOVUPS (SI)(AX*4), Y4
	VFMADD231PS (DI)(AX*4), Y4, Y1
	ADDQ $8, AX
	JMP  dot8

dotreduce:
	VADDPS Y1, Y0, Y0
	VADDPS Y3, Y2, Y2
	VADDPS Y2, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPS X1, X0, X0
	VHADDPS X0, X0, X0
	VHADDPS X0, X0, X0

dot1:
	CMPQ AX, CX
	JGE  dotdone
	VMOVSS (SI)(AX*4), X4
	VFMADD231SS (DI)(AX*4), X4, X0
	INCQ AX
	JMP  dot1

dotdone:
	VZEROUPPER
	MOVSS X0, ret+48(FP)
	RET

// func axpyAVX(alpha float32, x, y []float32)
TEXT ·axpyAVX(SB), NOSPLIT, $0-56
	VBROADCASTSS alpha+0(FP), Y0
	MOVQ x_base+8(FP), SI
	MOVQ x_len+16(FP), CX
	MOVQ y_base+32(FP), DI
	XORQ AX, AX
	MOVQ CX, DX
	ANDQ $-16, DX

axpy16:
	CMPQ AX, DX
	JGE  axpy8pre
	VMOVUPS (DI)(AX*4), Y1
	VMOVUPS 32(DI)(AX*4), Y2
	VFMADD231PS (SI)(AX*4), Y0, Y1
	VFMADD231PS 32(SI)(AX*4), Y0, Y2
	VMOVUPS Y1, (DI)(AX*4)
	VMOVUPS Y2, 32(DI)(AX*4)
	ADDQ $16, AX
	JMP  axpy16

axpy8pre:
	MOVQ CX, DX
	ANDQ $-8, DX

axpy8:
	CMPQ AX, DX
	JGE  axpy1
	VMOVUPS (DI)(AX*4), Y1
	VFMADD231PS (SI)(AX*4), Y0, Y1
	VMOVUPS Y1, (DI)(AX*4)
	ADDQ $8, AX
	JMP  axpy8

axpy1:
	CMPQ AX, CX
	JGE  axpydone
	VMOVSS (DI)(AX*4), X1
	VFMADD231SS (SI)(AX*4), X0, X1
	VMOVSS X1, (DI)(AX*4)
	INCQ AX
	JMP  axpy1

axpydone:
	VZEROUPPER
	RET

// func update2AVX(step float32, in, out, acc []float32)
// acc += step*out (old out); out += step*in.
TEXT ·update2AVX(SB), NOSPLIT, $0-80
	VBROADCASTSS step+0(FP), Y0
	MOVQ in_base+8(FP), SI
	MOVQ in_len+16(FP), CX
	MOVQ out_base+32(FP), DI
	MOVQ acc_base+56(FP), BX
	XORQ AX, AX
	MOVQ CX, DX
	ANDQ $-16, DX

upd16:
	CMPQ AX, DX
	JGE  upd8pre
	VMOVUPS (DI)(AX*4), Y1
	VMOVUPS 32(DI)(AX*4), Y2
	VMOVUPS (BX)(AX*4), Y3
	VMOVUPS 32(BX)(AX*4), Y4
	VFMADD231PS Y1, Y0, Y3
	VFMADD231PS Y2, Y0, Y4
	VFMADD231PS (SI)(AX*4), Y0, Y1
	VFMADD231PS 32(SI)(AX*4), Y0, Y2
	VMOVUPS Y3, (BX)(AX*4)
	VMOVUPS Y4, 32(BX)(AX*4)
	VMOVUPS Y1, (DI)(AX*4)
	VMOVUPS Y2, 32(DI)(AX*4)
	ADDQ $16, AX
	JMP  upd16

upd8pre:
	MOVQ CX, DX
	ANDQ $-8, DX

upd8:
	CMPQ AX, DX
	JGE  upd1
	VMOVUPS (DI)(AX*4), Y1
	VMOVUPS (BX)(AX*4), Y3
	VFMADD231PS Y1, Y0, Y3
	VFMADD231PS (SI)(AX*4), Y0, Y1
	VMOVUPS Y3, (BX)(AX*4)
	VMOVUPS Y1, (DI)(AX*4)
	ADDQ $8, AX
	JMP  upd8

upd1:
	CMPQ AX, CX
	JGE  upddone
	VMOVSS (DI)(AX*4), X1
	VMOVSS (BX)(AX*4), X3
	VFMADD231SS X1, X0, X3
	VFMADD231SS (SI)(AX*4), X0, X1
	VMOVSS X3, (BX)(AX*4)
	VMOVSS X1, (DI)(AX*4)
	INCQ AX
	JMP  upd1

upddone:
	VZEROUPPER
	RET
