namespace ConvexProof.Checker.Tests;

/// <summary>Hand-computed certificates (tests/ConvexProof.Checker.Tests/Data) are accepted, with the right statement.</summary>
public class AcceptanceTests
{
    [Theory]
    [InlineData("abs", "convex", "2 degenerate")]
    [InlineData("linear", "convex", "2 degenerate jumps (0 negative)")]
    [InlineData("relu", "convex", "1 convexity conditions (0 negative)")]
    [InlineData("negrelu", "not_convex", "f((x+y)/2) = 0 > -1/2")]
    [InlineData("deep", "convex", "3 activation regions")]
    [InlineData("flat", "convex", "1 flat constraints")]
    [InlineData("box2d", "convex", "the box [-1, 1] × [-1, 1]")]
    public void HandComputedCertificateIsAccepted(string name, string verdict, string mention)
    {
        var result = Fixture.Check(name);
        Assert.True(result.Valid, result.Reason);
        Assert.Equal(verdict, result.Verdict);
        Assert.Contains(mention, result.Statement);
        Assert.Contains(CertificateChecker.NetworkSha256(Fixture.Net(name)), result.Statement);
        Assert.StartsWith("VALID: ", result.ToString());
    }

    [Fact]
    public void ExpectedDomainMustMatch()
    {
        Assert.True(CertificateChecker.Check(Fixture.Net("box2d"), Fixture.Cert("box2d"), "-1:1").Valid);
        Assert.True(CertificateChecker.Check(Fixture.Net("box2d"), Fixture.Cert("box2d"), "-1:1,-1.0:0x1p0").Valid);
        Fixture.AssertInvalid(CertificateChecker.Check(Fixture.Net("box2d"), Fixture.Cert("box2d"), "-1:2"), "domain", "expected domain");
        Fixture.AssertInvalid(CertificateChecker.Check(Fixture.Net("relu"), Fixture.Cert("relu"), "-1:1"), "domain", "R^1");
        Assert.Throws<ArgumentException>(() => CertificateChecker.Check(Fixture.Net("box2d"), Fixture.Cert("box2d"), "-1:1,0:1,0:1"));
        Assert.Throws<ArgumentException>(() => CertificateChecker.Check(Fixture.Net("box2d"), Fixture.Cert("box2d"), "1:-1"));
    }
}
