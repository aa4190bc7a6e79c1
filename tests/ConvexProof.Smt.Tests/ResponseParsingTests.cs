using ConvexProof.Numbers;
using static ConvexProof.Smt.Tests.TestNets;

namespace ConvexProof.Smt.Tests;

public class ResponseParsingTests
{
    [Theory]
    [InlineData("0", "0")]
    [InlineData("0.0", "0")]
    [InlineData("7", "7")]
    [InlineData("2.0", "2")]
    [InlineData("0.5", "1/2")]
    [InlineData("0.125", "1/8")]
    [InlineData("12.750", "51/4")]
    [InlineData("(/ 1.0 3.0)", "1/3")]
    [InlineData("(/ 1 3)", "1/3")]
    [InlineData("(- 2.0)", "-2")]
    [InlineData("(- 2)", "-2")]
    [InlineData("((- 1.0))", "-1")]
    [InlineData("(((/ 4.0 6.0)))", "2/3")]
    [InlineData("(- (/ 13.0 6.0))", "-13/6")]
    [InlineData("(/ (- 1) 3)", "-1/3")]
    [InlineData("(/ (- 1.0) (- 3.0))", "1/3")]
    [InlineData("(- 0.5 (/ 1.0 4.0))", "1/4")]
    [InlineData("(+ 1.5 (- 0.25))", "5/4")]
    [InlineData("(* 2.0 (/ 1.0 3.0))", "2/3")]
    [InlineData("  (/ 100000000000000000000001.0\n 10.0) ", "100000000000000000000001/10")]
    public void Model_values_in_every_numeral_form_are_read_exactly(string text, string expected) =>
        Assert.Equal(R(expected), SmtValues.Parse(text));

    [Theory]
    [InlineData("x")]
    [InlineData("1e5")]
    [InlineData("-1")]
    [InlineData(".5")]
    [InlineData("1.")]
    [InlineData("(/ 1.0 0.0)")]
    [InlineData("(root-obj (+ (^ x 2) (- 2)) 1)")]
    [InlineData("(to_real x)")]
    [InlineData("()")]
    [InlineData("\"1\"")]
    [InlineData("(/ 1.0)")]
    public void Anything_else_is_refused_not_guessed(string text)
    {
        Assert.False(SmtValues.TryParse(SExpr.Parse(text), out _, out var error));
        Assert.NotEmpty(error);
    }

    [Fact]
    public void The_reader_handles_strings_quoted_symbols_and_comments()
    {
        var reader = new SExprReader(new StringReader("success\n(error \"line 1: say \"\"hi\"\" (x)\")\n; comment (\n(:version \"4.8.12\") |a b| sat"));
        Assert.True(reader.Read()!.IsSymbol("success"));
        var error = reader.Read()!;
        Assert.True(error.HasHead("error"));
        Assert.Equal("line 1: say \"hi\" (x)", error.Items![1].StringValue);
        var version = reader.Read()!;
        Assert.Equal(":version", version.Items![0].Atom);
        Assert.Equal("4.8.12", version.Items[1].StringValue);
        Assert.Equal("|a b|", reader.Read()!.Atom);
        Assert.True(reader.Read()!.IsSymbol("sat"));
        Assert.Null(reader.Read());
    }

    [Fact]
    public void The_reader_works_on_a_trickle_of_characters()
    {
        var reader = new SExprReader(new TrickleReader("((x_0 (- (/ 13.0 6.0)))\n (y_0 0.5))\nunsat\n"));
        var model = reader.Read()!;
        Assert.Equal(2, model.Items!.Count);
        Assert.Equal(R("-13/6"), SmtValues.Parse(model.Items[0].Items![1]));
        Assert.Equal("unsat", reader.Read()!.Atom);
        Assert.Null(reader.Read());
    }

    [Theory]
    [InlineData("(a (b)")]
    [InlineData(")")]
    [InlineData("(error \"unterminated")]
    public void Broken_output_is_a_format_error(string text) =>
        Assert.Throws<FormatException>(() =>
        {
            var reader = new SExprReader(new StringReader(text));
            while (reader.Read() is not null) { }
        });

    /// <summary>Returns one character per Read and -1 from Peek, like a pipe whose data arrives late.</summary>
    private sealed class TrickleReader(string text) : TextReader
    {
        private int _position;
        public override int Peek() => -1;
        public override int Read() => _position < text.Length ? text[_position++] : -1;
    }
}
