"""Tests of python/convexproof against a real `convexproof serve` (CONVEXPROOF_CLI, else the
repository's launcher). Run from the repository root:

    PYTHONPATH=python /usr/bin/python3 -m unittest discover -s python/tests

The C# test PythonModuleTests (tests/ConvexProof.Cli.Tests) runs them with the CLI it was built with.
"""
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import unittest
from fractions import Fraction

import torch
from torch import nn

import convexproof
from convexproof.server import default_cli

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "experiments"))
import regularisation  # noqa: E402

BOX = (-10, 10)


def mlp(seed, dtype=torch.float32):
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1)).to(dtype)


def check(net, cert, box="-10:10"):
    return subprocess.run([default_cli(), "check", net, cert, "--box", box], capture_output=True, text=True).returncode


class ConvexProofTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = convexproof.Server()

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def test_weights_are_sent_exactly(self):
        model = nn.Sequential(nn.Linear(1, 1))
        with torch.no_grad():
            model[0].weight.fill_(0.1)  # float32 0.1 = 13421773/134217728
            model[0].bias.fill_(-1e-30)
        net = convexproof.network_json(model)
        self.assertEqual(Fraction(float.fromhex(net["layers"][0]["weights"][0][0])), Fraction(13421773, 134217728))
        self.assertEqual(float.fromhex(net["layers"][0]["bias"][0]), float(torch.tensor(-1e-30, dtype=torch.float32)))

    def assert_penalty_matches(self, model, box, rel):
        value, frozen = convexproof.penalty(model, box=box, server=self.server)
        self.assertGreater(frozen.exact, 0, "the test needs a network that is not convex")
        self.assertAlmostEqual(float(value) / float(frozen.exact), 1.0, delta=rel)
        c = frozen.values(convexproof.layers_of(model))
        self.assertEqual(len(c), len(frozen.conditions))
        for got, (_, _, exact) in zip(c.tolist(), frozen.conditions):
            self.assertLessEqual(abs(got - float(exact)), rel * (1 + abs(float(exact))))
        return value, frozen

    def test_torch_penalty_equals_the_exact_one_float32(self):
        self.assert_penalty_matches(mlp(0), BOX, 1e-5)

    def test_torch_penalty_equals_the_exact_one_float64(self):
        self.assert_penalty_matches(mlp(1, torch.float64), BOX, 1e-12)

    def test_leaky_relu_penalty_equals_the_exact_one(self):
        torch.manual_seed(5)
        model = nn.Sequential(nn.Linear(2, 4), nn.LeakyReLU(0.2), nn.Linear(4, 8), nn.LeakyReLU(0.2), nn.Linear(8, 1))
        net = convexproof.network_json(model)
        # torch's float32 slope, exactly: 0.2 rounded to float32.
        self.assertEqual(net["layers"][0]["activation"], "leaky_relu")
        self.assertEqual(Fraction(float.fromhex(net["layers"][0]["alpha"])), Fraction(13421773, 1 << 26))
        x = torch.randn(5, 2)
        self.assertTrue(torch.equal(model(x), convexproof.forward(convexproof.layers_of(model), x)))
        self.assert_penalty_matches(model, BOX, 1e-5)
        with self.assertRaisesRegex(ValueError, "not in \\[0, 1\\)"):
            convexproof.layers_of(nn.Sequential(nn.Linear(2, 2), nn.LeakyReLU(1.5), nn.Linear(2, 1)))

    def test_skip_connections(self):
        torch.manual_seed(3)
        model = convexproof.SkipMLP(2, [5, 4], skips=True).double()
        x = torch.randn(7, 2, dtype=torch.float64)
        # The layers describe the same function as the model.
        self.assertTrue(torch.allclose(model(x), convexproof.forward(convexproof.layers_of(model), x)))
        self.assert_penalty_matches(model, None, 1e-12)

    def test_gradient_matches_finite_differences_of_the_exact_penalty(self):
        model = mlp(2, torch.float64)
        value, frozen = convexproof.penalty(model, box=BOX, server=self.server)
        self.assertGreater(frozen.exact, 0)
        value.backward()
        h = 1e-6
        checked = 0
        for param in (model[2].weight, model[4].weight, model[0].weight):
            for index in [(0, 0), (0, 1), (-1, -1)]:
                # c depends only on the weights after its unit: the first layer moves only the
                # frontiers (which patterns are realised), so its gradient is none, and so is its FD.
                grad = 0.0 if param.grad is None else float(param.grad[index])
                with torch.no_grad():
                    original = float(param[index])
                    param[index] = original + h
                    up = convexproof.patterns(model, BOX, self.server).exact
                    param[index] = original - h
                    down = convexproof.patterns(model, BOX, self.server).exact
                    param[index] = original
                fd = float(up - down) / (2 * h)
                self.assertAlmostEqual(grad, fd, delta=1e-5 * (1 + abs(fd)), msg=f"{tuple(param.shape)}{index}")
                checked += 1
        self.assertEqual(checked, 9)
        # Some gradient is non-zero: the test would not notice a penalty detached from the weights.
        self.assertGreater(float(model[4].weight.grad.abs().sum()), 0)

    def test_certify_returns_verdict_and_a_certificate_that_checks(self):
        with tempfile.TemporaryDirectory() as tmp:
            cert = os.path.join(tmp, "mlp.cert.json")
            result = convexproof.certify(mlp(0), BOX, cert, server=self.server)
            self.assertEqual(result.verdict, "not_convex")
            self.assertEqual(result.certificate, cert)
            self.assertEqual(result.exit_code, 1)
            self.assertEqual(check(result.network, cert), 0)

            icnn = mlp(4)
            regularisation.project_icnn(icnn)
            result = convexproof.certify(icnn, BOX, os.path.join(tmp, "icnn.cert.json"), server=self.server, method="regions")
            self.assertEqual(result.verdict, "convex")
            self.assertEqual(check(result.network, result.certificate), 0)

    def test_error_answers_raise_and_the_server_keeps_serving(self):
        with self.assertRaises(convexproof.ConvexProofError) as caught:
            self.server.request({"command": "penalty", "network": {"input_dim": 2, "layers": []}})
        self.assertEqual(caught.exception.exit_code, 2)
        self.assertEqual(caught.exception.json_path, "$.network.layers")
        self.assertEqual(convexproof.patterns(mlp(0), BOX, self.server).verdict, "not_convex")

    def test_unsupported_modules_are_named(self):
        with self.assertRaisesRegex(ValueError, "Conv1d"):
            convexproof.layers_of(nn.Sequential(nn.Conv1d(1, 1, 1), nn.Linear(1, 1)))
        with self.assertRaisesRegex(ValueError, "one output"):
            convexproof.layers_of(nn.Sequential(nn.Linear(2, 3)))

    def test_reduced_experiment(self):
        with tempfile.TemporaryDirectory() as tmp:
            args = regularisation.argparse.Namespace(out=tmp, seeds=2, steps=15, train=200, val=2000, lr=1e-2, lam=1.0,
                                                     cli=None, no_plot=importlib.util.find_spec("matplotlib") is None)
            summary = regularisation.run(args)
            with open(os.path.join(tmp, "results.json"), encoding="utf-8") as f:
                results = json.load(f)
            self.assertEqual(len(results["runs"]), 6)
            self.assertEqual(summary["icnn"]["convex"], 2)  # convex by construction, and certified so
            for run in results["runs"]:
                net, cert = os.path.join(tmp, run["network"]), os.path.join(tmp, run["certificate"])
                self.assertEqual(check(net, cert), 0, f"{run['model']} {run['seed']}")
                # The exact penalty and the certificate agree: convex iff R = 0 and no negative jump.
                self.assertEqual(run["verdict"] == "convex", run["penalty"] == "0" and run["negative_jumps"] == 0, run)
                self.assertGreater(run["val_mse"], 0)
            if not args.no_plot:
                self.assertGreater(os.path.getsize(os.path.join(tmp, "learned.png")), 1000)


if __name__ == "__main__":
    unittest.main()
