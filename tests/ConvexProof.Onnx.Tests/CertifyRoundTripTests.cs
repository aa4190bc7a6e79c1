using ConvexProof.Certificates;
using ConvexProof.Convexity;
using ConvexProof.Geometry;
using ConvexProof.Networks;
using ConvexProof.Numbers;
using ConvexProof.Onnx;

namespace ConvexProof.Onnx.Tests;

/// <summary>
/// certify(import(model.onnx)) writes the same certificate, byte for byte, as certify of the
/// equivalent hand-written net.json — on R^d and on a box — and the checker accepts it.
/// </summary>
public class CertifyRoundTripTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ImportedModelGivesTheSameCertificateAsTheHandWrittenNetwork(bool onBox)
    {
        var imported = OnnxImporter.ReadFile(Paths.Asset("icnn_small.onnx"));
        var handWritten = NetworkReader.ReadFile(Paths.Asset("icnn_small.net.json"));
        int d = handWritten.InputDim;
        var domain = onBox
            ? Domain.Box([.. Enumerable.Repeat(new Rational(-2, 1), d)], [.. Enumerable.Repeat(new Rational(3, 1), d)])
            : Domain.Everywhere(d);

        byte[] Certificate(Network net)
        {
            using var s = new MemoryStream();
            CertificateWriter.Write(Certifier.Certify(net, domain), s);
            return s.ToArray();
        }
        var fromOnnx = Certificate(imported);
        Assert.Equal(Certificate(handWritten), fromOnnx);

        string folder = Directory.CreateTempSubdirectory("cp-onnx-").FullName;
        string cert = Path.Combine(folder, "cert.json");
        File.WriteAllBytes(cert, fromOnnx);
        var check = ConvexProof.Checker.CertificateChecker.Check(Paths.Asset("icnn_small.net.json"), cert);
        Assert.True(check.Valid, check.Reason);
    }
}
