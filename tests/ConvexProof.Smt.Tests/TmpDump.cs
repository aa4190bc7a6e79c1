namespace ConvexProof.Smt.Tests;
public class TmpDump
{
    [Fact]
    public void Dump()
    {
        var options = new RandomNetworkOptions { Icnn = true, MaxWidth = 4 };
        for (int seed = 1; seed <= 6; seed++)
        {
            var net = RandomNetworks.Generate(seed, options);
            File.WriteAllText($"/tmp/smt/icnn{seed}.smt2", MidpointConvexityQuery.Build(net, Geometry.Domain.Everywhere(net.InputDim)).ToSmtLib());
            File.WriteAllText($"/tmp/smt/icnn{seed}.json", Networks.NetworkWriter.ToJson(net));
        }
    }
}
