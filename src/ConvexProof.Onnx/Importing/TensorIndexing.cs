namespace ConvexProof.Onnx.Importing;

/// <summary>Row-major index arithmetic for rearranging the entries of a tensor.</summary>
internal static class TensorIndexing
{
    /// <summary>Visits every multi-index of <paramref name="dims"/> in row-major order (the same
    /// array, updated in place), with its flat position.</summary>
    public static void ForEach(long[] dims, Action<long[], long> visit)
    {
        long count = ConstTensor.ElementCount(dims);
        var index = new long[dims.Length];
        for (long flat = 0; flat < count; flat++)
        {
            visit(index, flat);
            for (int k = dims.Length - 1; k >= 0; k--)
            {
                if (++index[k] < dims[k]) break;
                index[k] = 0;
            }
        }
    }

    /// <summary>For each entry of the transposed tensor (dimension k is input dimension perm[k]),
    /// the flat position of the input entry it is.</summary>
    public static int[] Transpose(long[] dims, int[] perm)
    {
        var newDims = perm.Select(p => dims[p]).ToArray();
        var strides = ConstTensor.Strides(dims);
        var result = new int[ConstTensor.ElementCount(newDims)];
        ForEach(newDims, (index, flat) =>
        {
            long source = 0;
            for (int k = 0; k < index.Length; k++) source += index[k] * strides[perm[k]];
            result[flat] = (int)source;
        });
        return result;
    }

    /// <summary>Concatenation along <paramref name="axis"/>: for each entry of the result, the
    /// position of its entry when the parts' entries are laid one part after another.</summary>
    public static int[] Concatenate(IReadOnlyList<long[]> parts, int axis)
    {
        long outer = ConstTensor.ElementCount(parts[0].Take(axis));
        var inner = parts.Select(d => ConstTensor.ElementCount(d.Skip(axis))).ToArray();
        var offsets = new long[parts.Count];
        for (int p = 1; p < parts.Count; p++) offsets[p] = offsets[p - 1] + outer * inner[p - 1];
        var result = new int[outer * inner.Sum()];
        int o = 0;
        for (long block = 0; block < outer; block++)
            for (int p = 0; p < parts.Count; p++)
                for (long j = 0; j < inner[p]; j++) result[o++] = (int)(offsets[p] + block * inner[p] + j);
        return result;
    }
}
