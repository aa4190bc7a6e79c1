using ConvexProof.Networks;
using static ConvexProof.Onnx.Tests.Nets;

namespace ConvexProof.Onnx.Tests;

/// <summary>The committed icnn_small.onnx (made by <see cref="OnnxWriter"/>) against the hand-written net.json.</summary>
public class OnnxAssetTests
{
    private static Network HandWritten => NetworkReader.ReadFile(Paths.Asset("icnn_small.net.json"));

    [Fact]
    public void Imported_asset_has_the_hash_of_the_hand_written_net_json()
    {
        var imported = OnnxImporter.ReadFile(Paths.Asset("icnn_small.onnx"));
        Assert.Equal(NetworkHash.Sha256(HandWritten), NetworkHash.Sha256(imported));
        Assert.Equal(new Numbers.Rational(13421773, 134217728), imported.Layers[0].Weights[0][0]);
        Assert.NotNull(imported.Layers[1].Skip);
        Assert.NotNull(imported.Layers[2].Skip);
    }

    [Fact]
    public void Asset_is_what_the_writer_produces()
    {
        var bytes = OnnxWriter.ToBytes(HandWritten);
        if (Environment.GetEnvironmentVariable("CONVEXPROOF_REGENERATE_ONNX_ASSETS") == "1")
            File.WriteAllBytes(Paths.SourceAsset("icnn_small.onnx"), bytes);
        Assert.Equal(bytes, File.ReadAllBytes(Paths.Asset("icnn_small.onnx")));
    }

    [Fact]
    public void Summary_describes_the_network()
    {
        Assert.Equal("3 layers, widths 2 → 3 relu → 2 relu → 1, 2 skip connections, 26 parameters, 5 ReLU units",
            ImportSummary.Describe(HandWritten));
    }
}
