namespace EdgeStack.Azure.Tests;

public sealed class UploadIdTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("order-42.v1_final")]
    [InlineData("...")]
    public void IsValid_SafeId_IsTrue(string id)
    {
        Assert.True(UploadId.IsValid(id, out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("../x")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("a\u0001b")]
    [InlineData("a\nb")]
    [InlineData("caf\u00e9")]
    [InlineData("a b")]
    public void IsValid_UnsafeId_IsFalseAndNamesId(string id)
    {
        var valid = UploadId.IsValid(id, out var problem);

        Assert.False(valid);
        Assert.Contains("'id'", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void IsValid_OfTheLongestLength_IsTrue()
    {
        Assert.True(UploadId.IsValid(new string('a', UploadId.MaxLength), out _));
    }

    [Fact]
    public void IsValid_TooLong_IsFalseAndStatesTheLimit()
    {
        var valid = UploadId.IsValid(new string('a', UploadId.MaxLength + 1), out var problem);

        Assert.False(valid);
        Assert.Contains("'id'", problem, StringComparison.Ordinal);
        Assert.Contains($"at most {UploadId.MaxLength}", problem, StringComparison.Ordinal);
    }
}
