// The checker's tests compare its integer kernel (Integer.cs) with BigInteger directly.
[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("ConvexProof.Checker.Tests")]
